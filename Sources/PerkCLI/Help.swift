import PerkSyntax

/// Help texts for `perk --help`, `perk help COMMAND` and `perk COMMAND --help`.
enum Help {
  static let overview = """
    perk — check and run Perk reward programs

    USAGE:
      perk <command> [options]

    COMMANDS:
      check    Check Perk files and report every problem
      eval     Evaluate one event against a program and print the outcome as JSON
      demo     Run the built-in café example on a short purchase sequence
      test     Run the scenario tests written in Perk files
      sim      Preview what a program costs on a purchase history (no arguments: the café example)
      gen      Generate a seeded synthetic purchase history
      repl     Try a program interactively: customers, events, outcomes and why
      fmt      Lay out Perk files in the one canonical layout (--check for CI)
      lsp      A Language Server for editors (diagnostics, hover, completion, formatting)
      serve    Serve a program over HTTP with JSON: events, customers, period ends (docs/serve.md)
      help     Show help for a command

    OPTIONS:
      --color always|never|auto   Colour diagnostics (auto: only on a terminal, unless NO_COLOR is set)
      --version                   Print the version
      -h, --help                  Show this help

    Run `perk help <command>` for a command's options.

    """

  static let check = """
    perk check — check Perk files and report every problem

    USAGE:
      perk check FILE... [--format text|json] [--strict] [--together] [--as-of DATE]

    Every file is parsed and checked (each as its own program, or all as one program with
    --together); every diagnostic is shown (text on stderr, or a JSON array on stdout),
    followed by a summary. A declaration starts at column 1 with
    \(Keyword.list(Keyword.declarations.map(\.rawValue))) (docs/language.md).

    OPTIONS:
      --format text|json   Output format (default: text)
      --strict             Treat warnings as errors
      --together           The files form one program (as `perk eval` reads them)
      --as-of DATE         Judge rules' dates from this day (yyyy-MM-dd): a rule whose
                           dates all lie before it can no longer fire (W0117)
      --color always|never|auto

    EXIT STATUS:
      0 no errors, 1 errors (or warnings with --strict), 2 usage error

    """

  static let eval = """
    perk eval — evaluate one event and print the outcome as JSON

    USAGE:
      perk eval FILE... --event EVENT.json [--customer CUSTOMER.json] [--state STATE.json] [--out-state NEW.json] [--decimal-comma]
      perk eval FILE... --stream [--decimal-comma] < EVENTS.jsonl

    Use `-` as a path to read that file from standard input. The files are read strictly: an
    unknown or repeated key is an error, and a state may name only the currencies, cards, tiers,
    rules and rebates of the program (docs/interchange.md lists every field).

    OPTIONS:
      --event PATH       The event (a purchase) as JSON (required)
      --customer PATH    The customer (signup date, birthday) as JSON
      --state PATH       The account state before the event (default: a new account)
      --out-state PATH   Where to write the account state after the event (`-`: standard output;
                         a regular file is replaced whole or not at all)
      --decimal-comma    The event's amounts write decimals with a comma: "4,50", "1.234,50"
      --stream           JSON Lines: each line of standard input is {"customer": ID or CUSTOMER,
                         "event": EVENT, "state": STATE (optional)}; each output line is
                         {"customer", "outcome", "state"}, or {"error", "line"} for a bad line. A
                         line without `state` continues that customer's last state (docs/serve.md)

    EXIT STATUS:
      0 evaluated, 1 the program or an input file has errors (with --stream: a line had one),
      2 usage error

    """

  static let demo = """
    perk demo — run the built-in café example

    USAGE:
      perk demo [--show-program]

    Compiles the Bean & Leaf café program and runs a short purchase sequence through it,
    printing each outcome.

    OPTIONS:
      --show-program   Print the program text first

    """

  static func text(for topic: String) -> String? {
    switch topic {
    case "check": return check
    case "eval": return eval
    case "demo": return demo
    case "test": return test
    case "sim": return SimCommand.help
    case "gen": return GenCommand.help
    case "repl": return ReplCommand.help
    case "fmt": return FmtCommand.help
    case "lsp": return LspCommand.help
    case "serve": return ServeCommand.help
    case "help": return overview
    default: return nil
    }
  }
}
