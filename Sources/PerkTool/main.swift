import Foundation
import PerkCLI

exit(PerkCommandLine.main())
