// The PerkScenarios target; its helper replaces this file with the real API.
package enum PerkScenariosTarget {}
