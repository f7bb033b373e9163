import Foundation
import PerkRuntime
import PerkServer
import PerkSource
import PerkStore

/// `perk serve PROGRAM.perk... [--listen HOST:PORT] [--store PATH] [--token-file F]`: the HTTP
/// JSON service (docs/serve.md).
enum ServeCommand {
  static let help = """
    perk serve — serve a program over HTTP/1.1 with JSON (docs/serve.md)

    USAGE:
      perk serve PROGRAM.perk... [--listen HOST:PORT] [--store PATH] [--token-file F]

    Endpoints: POST /v1/events[?preview=true], GET|PUT /v1/customers/{id},
    GET /v1/customers/{id}/state, POST /v1/advance, GET|POST /v1/program, GET /healthz,
    GET /metrics. Every error is {"error": {"code", "message", "field"}}. The first line on
    standard output names the address; standard error has one JSON line per request.
    SIGTERM (or SIGINT) answers the requests in flight and exits; SIGHUP reloads the files.

    OPTIONS:
      --listen HOST:PORT   The IPv4 address to listen on (default 127.0.0.1:8080; port 0 picks one)
      --store PATH         The SQLite file that keeps accounts (needs libsqlite3-0; default: memory only),
                           or postgresql://USER@HOST:PORT/DB shared by several servers (needs libpq5)
      --token-file F       Every endpoint but /healthz needs `Authorization: Bearer` and the token in F
      --max-body BYTES     The largest request body (default 1048576)
      --read-timeout MS    How long a request may take to arrive (default 10000)
      --idle-timeout MS    How long a kept-alive connection may wait for its next request (default 30000)

    EXIT STATUS:
      0 stopped by a signal, 1 the program has errors or the store or address cannot be used,
      2 usage error

    """

  static func run(_ args: inout ArgumentList, console: inout Console) throws -> Int32 {
    let listen = try args.takeOption("--listen") ?? "127.0.0.1:8080"
    let storePath = try args.takeOption("--store")
    let tokenPath = try args.takeOption("--token-file")
    var limits = HTTPLimits()
    if let value = try args.takeOption("--max-body") { limits.maximumBodyBytes = try number(value, "--max-body") }
    if let value = try args.takeOption("--read-timeout") { limits.readTimeoutMilliseconds = try number(value, "--read-timeout") }
    if let value = try args.takeOption("--idle-timeout") { limits.idleTimeoutMilliseconds = try number(value, "--idle-timeout") }
    let paths = try args.takePositionals(knownFlags: [
      "--listen", "--store", "--token-file", "--max-body", "--read-timeout", "--idle-timeout", "--color",
    ])
    guard !paths.isEmpty else { throw UsageError.missingArgument("a Perk file to serve") }
    guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
      throw UsageError.invalidValue(option: "--listen", value: listen, allowed: ["HOST:PORT, such as 127.0.0.1:8080"])
    }
    let host = String(listen[..<colon])

    let files = try InputFiles.sources(paths, console: console)
    let program: ServiceProgram
    switch ServiceProgram.compile(files) {
    case .success(let compiled): program = compiled
    case .failure(let errors):
      console.err(errors.text)
      console.err("error: the program has errors; `perk serve` loads only a program that checks clean\n")
      return 1
    }
    let token: BearerToken?
    do {
      token = try tokenPath.map { path throws(ServerError) in try BearerToken(contentsOf: path) }
    } catch {
      throw UserInputError(description: error.message)
    }
    let store = try openStore(storePath)
    let service = Service(program: program, store: store, token: token)
    let log = RequestLog()
    let server: HTTPServer
    do {
      server = try HTTPServer(host: host, port: port, limits: limits, handler: { service.handle($0) },
                              observer: { request, response, nanoseconds in
                                service.metrics.request(method: request?.method ?? "-", route: request.map { Service.pattern($0.path) } ?? "-",
                                                        status: response.status, nanoseconds: nanoseconds)
                                log.record(request, response, nanoseconds: nanoseconds)
                              })
    } catch {
      throw UserInputError(description: error.message)
    }
    // A transfer released before a crash but not yet credited is credited now.
    service.creditPendingTransfers()
    let signals = watchSignals(server: server, service: service, paths: paths, log: log, console: console)
    // The first line says where: tests and scripts that asked for port 0 read the port from it.
    try console.out("perk serve: listening on http://\(host):\(server.port) (program \(program.program.name), "
                    + "store \(storePath.map(PostgresStore.redacted) ?? "in memory"))\n")
    log.note(["message": .string("started"), "port": .integer(Int64(server.port)), "hash": .string(program.hash)])
    server.run()
    withExtendedLifetime(signals) {}
    log.note(["message": .string("stopped")])
    return 0
  }

  /// The store `--store` names: `postgresql://…` (or `postgres://…`) a PostgreSQL database, a
  /// path without a scheme a SQLite file; without `--store`, memory.
  static func openStore(_ path: String?) throws -> any AccountStore {
    guard let path else { return MemoryStore() }
    do {
      switch scheme(path)?.lowercased() {
      case nil: return try SQLiteStore(path: path)
      case "postgresql", "postgres": return try PostgresStore(url: path)
      case let other?:
        throw UsageError.invalidValue(option: "--store", value: "\(other)://…",
                                      allowed: ["a SQLite file's path", "postgresql://USER@HOST:PORT/DATABASE"])
      }
    } catch let error as StoreError {
      throw UserInputError(description: error.message)
    }
  }

  /// The URL scheme `store` starts with (`scheme://`), or nil for a path.
  private static func scheme(_ store: String) -> String? {
    guard let end = store.range(of: "://") else { return nil }
    let name = store[..<end.lowerBound]
    guard let first = name.first, first.isASCII, first.isLetter,
          name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
    return String(name)
  }

  /// SIGTERM and SIGINT drain and stop the server; SIGHUP reloads the program files.
  private static func watchSignals(server: HTTPServer, service: Service, paths: [String], log: RequestLog,
                                   console: Console) -> [DispatchSourceSignal] {
    let queue = DispatchQueue(label: "perk.serve.signals")
    var sources: [DispatchSourceSignal] = []
    for number in [SIGTERM, SIGINT] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { server.shutdown() }
      source.resume()
      sources.append(source)
    }
    signal(SIGHUP, SIG_IGN)
    let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
    hangUp.setEventHandler {
      do {
        let files = try InputFiles.sources(paths, console: console)
        let loaded = try service.reload(files)
        log.note(["message": .string("reloaded"), "hash": .string(loaded.hash)])
      } catch let failure as ServiceFailure {
        log.note(["message": .string("reload refused"), "code": .string(failure.code), "reason": .string(failure.message)])
      } catch {
        log.note(["message": .string("reload refused"), "reason": .string("\(error)")])
      }
    }
    hangUp.resume()
    sources.append(hangUp)
    return sources
  }

  private static func number(_ text: String, _ option: String) throws -> Int {
    guard let value = Int(text), value > 0 else {
      throw UsageError.invalidValue(option: option, value: text, allowed: ["a positive whole number"])
    }
    return value
  }
}
