// The PerkREPL target; its helper replaces this file with the real API.
package enum PerkREPLTarget {}
