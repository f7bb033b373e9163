// The PerkSimulator target; its helper replaces this file with the real API.
package enum PerkSimulatorTarget {}
