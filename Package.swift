// swift-tools-version: 6.0
// Perk: a rules engine for customer reward programs.
//
// One target per stage; dependencies point one way:
//   PerkSource ◄── PerkSyntax ◄── PerkCompiler ◄── Perk ◄── PerkCLI ◄── PerkTool
//   PerkSource ◄── PerkRuntime ◄── PerkCompiler
//   PerkOutput ◄── PerkREPL, PerkLanguageServer, PerkCLI (writing the user's files and standard output)
//   Perk ◄── PerkScenarios, PerkSimulator, PerkREPL ◄── PerkCLI;  PerkSimulator ◄── PerkBenchmark
//   Perk ◄── PerkLanguageServer ◄── PerkCLI
//   PerkRuntime ◄── PerkServer ◄── PerkCLI (`perk serve`: HTTP/1.1 on POSIX sockets)
//   PerkStore ◄── PerkCLI (the account store: in memory, or SQLite or PostgreSQL loaded at run time)
// No package dependencies: Foundation and the standard library only.
import PackageDescription

let package = Package(
  name: "Perk",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Perk", targets: ["Perk"]),
    .executable(name: "perk", targets: ["PerkTool"]),
    .executable(name: "perk-benchmark", targets: ["PerkBenchmark"]),
  ],
  targets: [
    // MARK: - Perk (the library product: compile + evaluate)
    .target(name: "Perk", dependencies: ["PerkCompiler", "PerkRuntime", "PerkSource"]),

    // MARK: - PerkCLI (commands behind the `perk` executable)
    .target(name: "PerkCLI", dependencies: [
      "Perk", "PerkCompiler", "PerkRuntime", "PerkSource", "PerkSyntax", "PerkScenarios", "PerkSimulator", "PerkREPL",
      "PerkOutput", "PerkLanguageServer", "PerkServer", "PerkStore",
    ]),
    .testTarget(
      name: "PerkCLITests",
      dependencies: ["PerkCLI", "PerkTestSupport", "PerkTool"],
      exclude: ["Diagnostics", "Goldens"]
    ),

    // MARK: - PerkCompiler (checking and lowering)
    .target(name: "PerkCompiler", dependencies: ["PerkRuntime", "PerkSource", "PerkSyntax"]),
    .testTarget(name: "PerkCompilerTests", dependencies: ["Perk", "PerkCompiler", "PerkTestSupport"]),
    // Generated programs × generated histories: every evaluation form and `perk sim` agree.
    .testTarget(name: "PerkDifferentialTests", dependencies: ["Perk", "PerkRuntime", "PerkSimulator", "PerkTestSupport"]),

    // MARK: - PerkRuntime (money, time, state, the evaluator)
    .target(name: "PerkRuntime", dependencies: ["PerkSource"]),
    .testTarget(name: "PerkRuntimeTests", dependencies: ["Perk", "PerkRuntime", "PerkTestSupport"]),

    // MARK: - PerkOutput (writing the user's files: atomic, through links and devices, errors not traps)
    .target(name: "PerkOutput"),
    .testTarget(name: "PerkOutputTests", dependencies: ["PerkOutput", "PerkTestSupport"]),

    // MARK: - PerkServer (HTTP/1.1 on POSIX sockets: bounded parsing, auth, metrics, the request log)
    .target(name: "PerkServer", dependencies: ["PerkRuntime"]),

    // MARK: - PerkStore (where `perk serve` keeps accounts: the protocol, in memory, SQLite and PostgreSQL via dlopen)
    .target(name: "PerkStore"),
    .testTarget(
      name: "PerkServeTests",
      dependencies: ["PerkCLI", "PerkRuntime", "PerkServer", "PerkStore", "PerkTestSupport", "PerkTool"], exclude: ["Goldens"]
    ),

    // MARK: - PerkSource (source files, positions, diagnostics)
    .target(name: "PerkSource"),
    .testTarget(name: "PerkSourceTests", dependencies: ["PerkSource", "PerkTestSupport"]),

    // MARK: - PerkSyntax (lexer, AST, parser)
    .target(name: "PerkSyntax", dependencies: ["PerkSource"]),
    .testTarget(name: "PerkSyntaxTests", dependencies: ["PerkSource", "PerkSyntax", "PerkTestSupport"]),

    // MARK: - PerkTestSupport (golden files, running the built `perk`)
    .target(name: "PerkTestSupport", path: "Tests/PerkTestSupport"),

    // MARK: - PerkScenarios (running `test` blocks: `perk test`)
    .target(name: "PerkScenarios", dependencies: ["Perk", "PerkCompiler", "PerkRuntime", "PerkSource", "PerkSyntax"]),
    .testTarget(name: "PerkScenariosTests", dependencies: ["PerkScenarios", "Perk", "PerkTestSupport"]),

    // MARK: - PerkSimulator (`perk sim`, `perk gen`: histories, reports)
    .target(name: "PerkSimulator", dependencies: ["Perk", "PerkRuntime", "PerkSource"]),
    .testTarget(name: "PerkSimulatorTests", dependencies: ["PerkSimulator", "Perk", "PerkTestSupport"]),

    // MARK: - PerkLanguageServer (`perk lsp`: diagnostics, hover, completion, definition, formatting)
    .target(name: "PerkLanguageServer", dependencies: ["Perk", "PerkOutput", "PerkRuntime", "PerkSource", "PerkSyntax"]),
    .testTarget(name: "PerkLanguageServerTests", dependencies: ["PerkLanguageServer", "Perk", "PerkTestSupport"]),

    // MARK: - PerkREPL (`perk repl`: the interactive workbench)
    .target(name: "PerkREPL", dependencies: ["Perk", "PerkCompiler", "PerkOutput", "PerkRuntime", "PerkSource", "PerkSyntax"]),
    .testTarget(
      name: "PerkREPLTests", dependencies: ["PerkREPL", "Perk", "PerkTestSupport", "PerkTool"], exclude: ["Goldens"]
    ),

    // MARK: - PerkBenchmark (release-build measurements against hand-written Swift)
    .executableTarget(name: "PerkBenchmark", dependencies: ["Perk", "PerkSimulator", "PerkRuntime"]),

    // MARK: - PerkTool (the `perk` executable: main.swift only)
    .executableTarget(name: "PerkTool", dependencies: ["PerkCLI"]),
  ],
  swiftLanguageModes: [.v6]
)
