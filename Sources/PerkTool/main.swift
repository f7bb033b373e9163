import PerkCLI
PerkCommandLine.main()
