import Foundation
import Perk
import PerkRuntime
import PerkServer
import PerkSource
import PerkStore

/// `perk serve`'s API (docs/serve.md): events with idempotency, customers, the nightly
/// advance and the program, over one compiled program and one ``AccountStore``.
///
/// Every JSON it returns for an outcome, a state or a customer is made by the functions
/// `perk eval` uses (``Engine/outcomeJSON(_:program:)``, ``Engine/stateJSON(_:pretty:)``,
/// `Customer.json`), and every evaluation is the library's (`Program.evaluate`, `advance`, `credit`).
final class Service: @unchecked Sendable {
  let store: any AccountStore
  let metrics = Metrics()
  private let token: BearerToken?
  private let locks: CustomerLocks
  private let cache = AccountCache()
  private let programLock = ProgramLock()
  /// Guarded by `programLock`.
  private var current: ServiceProgram

  init(program: ServiceProgram, store: any AccountStore, token: BearerToken?) {
    current = program
    self.store = store
    self.token = token
    locks = CustomerLocks(store: store)
  }

  /// The program in use (for the log and tests).
  var program: ServiceProgram { programLock.reading { current } }

  // MARK: - Routing

  /// Answers one request; never throws: every failure is a JSON error response.
  func handle(_ request: HTTPRequest) -> HTTPResponse {
    do {
      return try route(request)
    } catch let failure as ServiceFailure {
      return failure.response
    } catch {
      return HTTPResponse.error(500, code: "internal", message: "\(error)")
    }
  }

  /// The route pattern of a request, for the metrics (a path names customers; a pattern does not).
  static func pattern(_ path: String) -> String {
    switch path {
    case "/healthz", "/metrics", "/v1/events", "/v1/advance", "/v1/program", "/v1/messages": return path
    default:
      if path.hasPrefix("/v1/customers/") {
        if path.hasSuffix("/ack") { return "/v1/customers/{id}/messages/{mid}/ack" }
        if path.hasSuffix("/messages") { return "/v1/customers/{id}/messages" }
        return path.hasSuffix("/state") ? "/v1/customers/{id}/state" : "/v1/customers/{id}"
      }
      return "other"
    }
  }

  private func route(_ request: HTTPRequest) throws -> HTTPResponse {
    if request.path == "/healthz" {
      try allow(request, "GET")
      return .json(200, .object(["status": .string("ok")]))
    }
    if let token, !token.admits(request) {
      throw ServiceFailure(status: 401, code: "unauthorized", message: "this server needs `Authorization: Bearer TOKEN`",
                           field: "Authorization")
    }
    switch request.path {
    case "/metrics":
      try allow(request, "GET")
      return HTTPResponse(status: 200, body: Array(metrics.exposition().utf8), contentType: "text/plain; version=0.0.4")
    case "/v1/events":
      try allow(request, "POST")
      return try postEvent(request)
    case "/v1/advance":
      try allow(request, "POST")
      return try advance(request)
    case "/v1/program":
      try allow(request, "GET", "POST")
      if request.method == "GET" { return .json(200, program.json) }
      return try loadProgram(request)
    case "/v1/messages":
      try allow(request, "GET")
      guard try request.query["pending"] == nil || flag(request, "pending") else {
        throw ServiceFailure(status: 400, code: "invalid_query", message: "only pending messages are listed: `pending` is `true`",
                             field: "pending")
      }
      return try pendingMessages(of: nil)
    default:
      let prefix = "/v1/customers/"
      guard request.path.hasPrefix(prefix) else {
        throw ServiceFailure(status: 404, code: "not_found", message: "no such endpoint: \(request.path)")
      }
      var id = String(request.path.dropFirst(prefix.count))
      if id.hasSuffix("/state") {
        id.removeLast("/state".count)
        try allow(request, "GET")
        return try customerState(id)
      }
      let parts = id.split(separator: "/", omittingEmptySubsequences: false)
      if parts.count == 2, parts[1] == "messages", !parts[0].isEmpty {
        try allow(request, "GET")
        return try customerMessages(String(parts[0]))
      }
      if parts.count == 4, parts[1] == "messages", parts[3] == "ack", !parts[0].isEmpty, !parts[2].isEmpty {
        try allow(request, "POST")
        return try acknowledge(String(parts[2]), of: String(parts[0]))
      }
      guard !id.isEmpty, !id.contains("/") else {
        throw ServiceFailure(status: 404, code: "not_found", message: "no such endpoint: \(request.path)")
      }
      try allow(request, "GET", "PUT")
      return request.method == "GET" ? try customer(id, request) : try putCustomer(id, request)
    }
  }

  private func allow(_ request: HTTPRequest, _ methods: String...) throws {
    guard methods.contains(request.method) else {
      throw ServiceFailure(status: 405, code: "method_not_allowed",
                           message: "\(request.path) accepts \(methods.joined(separator: ", ")), not \(request.method)")
    }
  }

  // MARK: - Events

  /// `POST /v1/events[?preview=true]`.
  private func postEvent(_ request: HTTPRequest) throws -> HTTPResponse {
    let preview = try flag(request, "preview")
    var released: [PointsTransfer] = []
    let response: HTTPResponse = try programLock.reading {
      let loaded = current
      let envelope: EventEnvelope
      do throws(EventEnvelope.Problem) {
        envelope = try EventEnvelope.decode(request.body, path: "<request>", program: loaded.program, allowsState: false)
      } catch {
        throw ServiceFailure(status: error.field == nil ? 400 : 422, code: error.field == nil ? "invalid_json" : "invalid_\(error.field!)",
                             message: error.message, field: error.field)
      }
      // The body parsed above; its canonical form is what a retry must repeat, and what a replay reads.
      let canonical = CanonicalJSON.text(try! JSONNode.parse(request.body, path: "<request>"))
      let hash = SHA256.hex(Array(canonical.utf8))
      /// The answer to an event id already stored: its outcome again, or a conflict.
      func replay(_ stored: StoredEvent) throws -> HTTPResponse {
        guard stored.bodyHash == hash, stored.customer == envelope.customerID else {
          throw ServiceFailure(status: 409, code: "idempotency_conflict",
                               message: "event `\(envelope.event.id)` was accepted with another body; an event id is used once",
                               field: "event.id")
        }
        return .json(200, text: stored.outcome)
      }
      return try locks.with(envelope.customerID) {
        if !preview, let stored = try storeCall({ () throws(StoreError) in try store.event(envelope.event.id) }) {
          return try replay(stored)
        }
        let account = try loadAccount(envelope.customerID, program: loaded.program)
        let customer = envelope.customer ?? account.customer
        let outcome: Outcome
        do {
          outcome = try loaded.program.evaluate(envelope.event, customer: customer, state: account.state)
        } catch {
          throw ServiceFailure(status: 422, code: "evaluation_failed", message: "evaluation failed: \(error)", field: "event")
        }
        let text = Engine.outcomeJSON(outcome, program: loaded.program, event: envelope.event, customer: customer).rendered()
        if preview { return .json(200, text: text) }
        var changes = StoreChanges()
        let profile = envelope.customer.map { $0.json.line() } ?? account.profile
        // A snapshot of the state now and then; in between, the stored event is replayed on the
        // last one. New attributes start a snapshot, so a replay always runs with the stored ones.
        let snapshot = !account.exists || envelope.customer != nil || account.sinceSnapshot + 1 >= Service.snapshotInterval
        changes.accounts[envelope.customerID] = AccountWrite(
          profile: profile, state: snapshot ? try Engine.stateJSON(outcome.state, pretty: false) : nil)
        changes.events = [StoredEvent(id: envelope.event.id, customer: envelope.customerID, bodyHash: hash, outcome: text,
                                      body: canonical)]
        changes.released = try outcome.transfers.map(storedTransfer)
        changes.messages = PendingMessages.rows(outcome.messages, customer: envelope.customerID, cause: "event\n\(envelope.event.id)")
        do {
          try save(changes, [(customer, outcome.state, snapshot ? 0 : account.sinceSnapshot + 1)])
        } catch let failure as ServiceFailure {
          // The same id sent for another customer at the same moment is stored by one of the two
          // requests (the id is the key); the other one's write fails and it answers as a retry.
          guard let stored = try? store.event(envelope.event.id) else { throw failure }
          return try replay(stored)
        }
        metrics.event(kind: Service.kind(envelope.event))
        released = outcome.transfers
        return .json(200, text: text)
      }
    }
    if !released.isEmpty { creditPendingTransfers() }
    return response
  }

  static func kind(_ event: Event) -> String {
    switch event.kind {
    case .purchase: return "purchase"
    case .return: return "return"
    case .redemption: return "redemption"
    case .signup: return "signup"
    case .custom: return "event"
    }
  }

  // MARK: - Referral transfers

  /// Credits every released transfer not yet credited, each to its receiver in one transaction
  /// with the row that marks it credited. A transfer credited twice (a crash between the
  /// two, two threads) pays once: the receiving account records the credit's id.
  func creditPendingTransfers() {
    programLock.reading {
      let program = current.program
      guard let pending = try? store.pendingTransfers() else {
        metrics.storeError()
        return
      }
      for row in pending {
        guard let transfer = try? JSONDecoder().decode(PointsTransfer.self, from: Data(row.transfer.utf8)) else { continue }
        try? locks.with(row.receiver) {
          let account = try loadAccount(row.receiver, program: program)
          guard let outcome = try? program.credit(transfer, customer: account.customer, state: account.state) else { return }
          var changes = StoreChanges()
          changes.accounts[row.receiver] = AccountWrite(profile: account.profile, state: try Engine.stateJSON(outcome.state, pretty: false))
          changes.credited = [row]
          changes.messages = PendingMessages.rows(outcome.messages, customer: row.receiver, cause: "credit\n\(row.creditID)")
          try save(changes, [(account.customer, outcome.state, 0)])
        }
      }
    }
  }

  private func storedTransfer(_ transfer: PointsTransfer) throws -> StoredTransfer {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return StoredTransfer(creditID: transfer.creditID, receiver: transfer.customer,
                          transfer: String(decoding: try encoder.encode(transfer), as: UTF8.self))
  }

  // MARK: - Accounts

  private struct LoadedAccount {
    var customer: Customer
    var state: AccountState
    var profile: String?
    var exists: Bool
    /// Events applied since the stored snapshot.
    var sinceSnapshot = 0
  }

  /// An account's state is stored whole every this many events; the events in between are
  /// replayed on it when the account is read from the store. Writing the state (JSON with every
  /// purchase kept for returns) was most of an event's cost (docs/performance.md).
  static let snapshotInterval = 64

  /// The account of `id` for `program`: cached, else read from the store, else a new one.
  /// `fresh` reads the store whatever the cache holds (a new program checks what is stored).
  private func loadAccount(_ id: String, program: Program, fresh: Bool = false) throws -> LoadedAccount {
    // Another server may have written a shared store's account since it was cached (the
    // customer's lock is held here, so the version read now stays true until this request's write).
    if !fresh, let cached = cache[id],
       try !store.isShared || storeCall({ () throws(StoreError) in try store.version(of: id) }) == cached.version {
      return LoadedAccount(customer: cached.customer, state: cached.state, profile: cached.profile, exists: true,
                           sinceSnapshot: cached.sinceSnapshot)
    }
    guard let stored = try storeCall({ () throws(StoreError) in try store.account(id) }) else {
      return LoadedAccount(customer: Customer(id: id), state: AccountState(), profile: nil, exists: false)
    }
    do {
      var customer = Customer(id: id)
      if let profile = stored.profile {
        customer = try Customer.decode(try JSONNode.parse(Array(profile.utf8), path: "<store>"), path: "<store>")
      }
      var state = try program.decodeState(try JSONNode.parse(Array(stored.state.utf8), path: "<store>"), path: "<store>")
      // The events after the snapshot, evaluated again in order: the same calls, the same state.
      let events = try storeCall { () throws(StoreError) in try store.events(of: id, after: stored.through) }
      for event in events {
        let envelope = try EventEnvelope.decode(Array(event.body.utf8), path: "<store>", program: program, allowsState: false)
        state = try program.evaluate(envelope.event, customer: envelope.customer ?? customer, state: state).state
      }
      if !fresh {
        cache[id] = AccountCache.Entry(customer: customer, state: state, profile: stored.profile, sinceSnapshot: events.count,
                                       version: stored.version)
      }
      return LoadedAccount(customer: customer, state: state, profile: stored.profile, exists: true, sinceSnapshot: events.count)
    } catch let failure as ServiceFailure {
      throw failure
    } catch let problem as EventEnvelope.Problem {
      throw ServiceFailure(status: 500, code: "stored_account_unreadable", message: "the stored account of `\(id)`: \(problem.message)")
    } catch {
      throw ServiceFailure(status: 500, code: "stored_account_unreadable", message: "the stored account of `\(id)`: \(error)")
    }
  }

  /// `GET /v1/customers/{id}[?at=TIME]`: the profile, and the account brought up to `at`
  /// (default: now) without storing anything: balances, stamps, tier, points expiring next, near misses.
  private func customer(_ id: String, _ request: HTTPRequest) throws -> HTTPResponse {
    try programLock.reading {
      let program = current.program
      return try locks.with(id) {
        let account = try loadAccount(id, program: program)
        guard account.exists else {
          throw ServiceFailure(status: 404, code: "unknown_customer", message: "no account for customer `\(id)`")
        }
        let at = try request.query["at"].map { try time(query: $0, program: program) } ?? Service.now()
        let summary: Outcome
        do {
          summary = try program.advance(to: at, customer: account.customer, state: account.state)
        } catch {
          throw ServiceFailure(status: 422, code: "evaluation_failed", message: "evaluation failed: \(error)", field: "at")
        }
        var object: [String: JSONOutput] = [
          "customer": account.customer.json,
          "account": Engine.outcomeJSON(summary, program: program),
          "stamps": .object(summary.state.stamps.mapValues { .integer($0) }),
          "tier": summary.state.tier.map { .string($0) } ?? .null,
        ]
        if !summary.state.tierKeptUntil.isEmpty {
          object["tier_kept_until"] = .object(summary.state.tierKeptUntil.mapValues { .string($0.description) })
        }
        return .json(200, .object(object))
      }
    }
  }

  /// `GET /v1/customers/{id}/state`: the stored state, as `perk eval --out-state` writes it.
  private func customerState(_ id: String) throws -> HTTPResponse {
    try programLock.reading {
      let program = current.program
      return try locks.with(id) {
        let account = try loadAccount(id, program: program)
        guard account.exists else {
          throw ServiceFailure(status: 404, code: "unknown_customer", message: "no account for customer `\(id)`")
        }
        return .json(200, text: try Engine.stateJSON(account.state) + "\n")
      }
    }
  }

  /// `PUT /v1/customers/{id}`: the customer's attributes, as `perk eval --customer` reads them.
  private func putCustomer(_ id: String, _ request: HTTPRequest) throws -> HTTPResponse {
    let customer: Customer
    do {
      customer = try Customer.decode(try JSONNode.parse(request.body, path: "<request>"), path: "<request>")
    } catch {
      throw ServiceFailure(status: 422, code: "invalid_customer", message: error.description, field: "customer")
    }
    guard customer.id == id else {
      throw ServiceFailure(status: 422, code: "invalid_customer", message: "the body's `id` is `\(customer.id)`, the path's `\(id)`",
                           field: "id")
    }
    return try programLock.reading {
      let program = current.program
      return try locks.with(id) {
        let account = try loadAccount(id, program: program)
        var changes = StoreChanges()
        changes.accounts[id] = AccountWrite(profile: customer.json.line(), state: try Engine.stateJSON(account.state, pretty: false))
        try save(changes, [(customer, account.state, 0)])
        return .json(200, .object(["customer": customer.json]))
      }
    }
  }

  /// Writes `changes`, then caches the accounts it wrote (customer, state, events since the snapshot).
  private func save(_ changes: StoreChanges, _ accounts: [(customer: Customer, state: AccountState, sinceSnapshot: Int)]) throws {
    try storeCall { () throws(StoreError) in try store.write(changes) }
    for account in accounts {
      // A shared store's new version, read under the customer's lock: the write just made it.
      let version = store.isShared ? try storeCall { () throws(StoreError) in try store.version(of: account.customer.id) } ?? 0 : 0
      cache[account.customer.id] = AccountCache.Entry(customer: account.customer, state: account.state,
                                                      profile: changes.accounts[account.customer.id]?.profile,
                                                      sinceSnapshot: account.sinceSnapshot, version: version)
    }
  }

  // MARK: - Advance

  /// `POST /v1/advance {"to": TIME}`: the period ends due up to `to` for every account, each
  /// account in its own transaction. Running it again does nothing more (an account remembers
  /// the last day it processed).
  private func advance(_ request: HTTPRequest) throws -> HTTPResponse {
    let body: JSONNode
    do {
      body = try JSONNode.parse(request.body, path: "<request>")
    } catch {
      throw ServiceFailure(status: 400, code: "invalid_json", message: error.description)
    }
    guard case .object(let members) = body.value, let toNode = body["to"], members.count == 1 else {
      throw ServiceFailure(status: 422, code: "invalid_advance", message: "the body is `{\"to\": TIME}` and nothing else", field: "to")
    }
    var changedCount = 0
    var outcomes: [JSONOutput] = []
    var accounts = 0
    var released = false
    try programLock.reading {
      let program = current.program
      let to = try time(toNode, program: program, field: "to")
      let customers = try storeCall { () throws(StoreError) in try store.customers() }
      accounts = customers.count
      for id in customers {
        try locks.with(id) {
          let account = try loadAccount(id, program: program)
          let outcome: Outcome
          do {
            outcome = try program.advance(to: to, customer: account.customer, state: account.state)
          } catch {
            throw ServiceFailure(status: 422, code: "evaluation_failed", message: "advancing `\(id)`: \(error)", field: "to")
          }
          let before = try Engine.stateJSON(account.state, pretty: false)
          let after = try Engine.stateJSON(outcome.state, pretty: false)
          guard before != after || !outcome.transfers.isEmpty || !outcome.messages.isEmpty else { return }
          var changes = StoreChanges()
          changes.accounts[id] = AccountWrite(profile: account.profile, state: after)
          changes.released = try outcome.transfers.map(storedTransfer)
          // A period end is processed once (the state records the day), and its messages' ids
          // come from the customer, rule and due moment: an advance run again adds none.
          changes.messages = PendingMessages.rows(outcome.messages, customer: id, cause: "advance")
          try save(changes, [(account.customer, outcome.state, 0)])
          changedCount += 1
          released = released || !outcome.transfers.isEmpty
          if !outcome.awards.isEmpty || !outcome.transfers.isEmpty || !outcome.messages.isEmpty {
            // Described as `perk sim --trace` describes a period end: `type` and `time` included.
            let described = program.outcomeJSON(outcome, type: "period_end", name: nil, time: to, customer: account.customer)
            outcomes.append(.object(["customer": .string(id), "outcome": described]))
          }
        }
      }
    }
    if released { creditPendingTransfers() }
    return .json(200, .object([
      "to": toNode.value.stringValue.map { .string($0) } ?? .null,
      "accounts": .integer(Int64(accounts)),
      "changed": .integer(Int64(changedCount)),
      "outcomes": .array(outcomes),
    ]))
  }

  // MARK: - Messages

  /// `GET /v1/customers/{id}/messages`: the customer's pending messages, oldest first.
  private func customerMessages(_ id: String) throws -> HTTPResponse {
    guard try storeCall({ () throws(StoreError) in try store.account(id) }) != nil else {
      throw ServiceFailure(status: 404, code: "unknown_customer", message: "no account for customer `\(id)`")
    }
    return try pendingMessages(of: id)
  }

  /// The pending messages of `customer` (every customer's when nil), with their ids.
  private func pendingMessages(of customer: String?) throws -> HTTPResponse {
    let rows = try storeCall { () throws(StoreError) in try store.pendingMessages(of: customer) }
    return .json(200, .object(["messages": .array(rows.map(PendingMessages.json))]))
  }

  /// `POST /v1/customers/{id}/messages/{mid}/ack`: the message is delivered; acknowledging it
  /// again answers 200 too, saying it was already acknowledged.
  private func acknowledge(_ messageID: String, of id: String) throws -> HTTPResponse {
    try locks.with(id) {
      guard let row = try storeCall({ () throws(StoreError) in try store.message(messageID) }), row.customer == id else {
        throw ServiceFailure(status: 404, code: "unknown_message", message: "customer `\(id)` has no message `\(messageID)`")
      }
      if !row.acknowledged {
        var changes = StoreChanges()
        changes.acknowledged = [messageID]
        try storeCall { () throws(StoreError) in try store.write(changes) }
      }
      return .json(200, .object(["id": .string(messageID), "customer": .string(id),
                                 "status": .string(row.acknowledged ? "already_acknowledged" : "acknowledged")]))
    }
  }

  // MARK: - Program

  /// `POST /v1/program`: the body is the new program's source (`?path=NAME` names it). It is
  /// loaded only when it checks clean and every stored account reads under it.
  private func loadProgram(_ request: HTTPRequest) throws -> HTTPResponse {
    let path = request.query["path"] ?? "program.perk"
    let file = SourceFile(id: 0, path: path, bytes: request.body)
    return .json(200, try reload([file]).json)
  }

  /// Replaces the program with `files` (`POST /v1/program`, SIGHUP), or throws why not.
  func reload(_ files: [SourceFile]) throws -> ServiceProgram {
    let next: ServiceProgram
    switch ServiceProgram.compile(files) {
    case .success(let program): next = program
    case .failure(let errors):
      throw ServiceFailure(status: 422, code: "program_has_errors", message: errors.text, field: "program")
    }
    return try programLock.writing {
      // Replays must run with the program that accepted the events: snapshot every account first.
      for id in try storeCall({ () throws(StoreError) in try store.customers() }) {
        // Under the customer's lock: another server sharing the store may be writing the account.
        try locks.with(id) {
          let account = try loadAccount(id, program: current.program)
          guard account.sinceSnapshot > 0 else { return }
          var changes = StoreChanges()
          changes.accounts[id] = AccountWrite(profile: account.profile, state: try Engine.stateJSON(account.state, pretty: false))
          try save(changes, [(account.customer, account.state, 0)])
        }
      }
      // Accounts carry over by name, as stored states do; one this program cannot read stops the load.
      for id in try storeCall({ () throws(StoreError) in try store.customers() }) {
        do {
          _ = try loadAccount(id, program: next.program, fresh: true)
        } catch let failure as ServiceFailure {
          throw ServiceFailure(status: 409, code: "program_incompatible",
                               message: "the stored account of `\(id)` does not fit the new program: \(failure.message)", field: "program")
        }
      }
      current = next
      return next
    }
  }

  // MARK: - Helpers

  private func flag(_ request: HTTPRequest, _ name: String) throws -> Bool {
    switch request.query[name] {
    case nil, "false": return false
    case "true", "": return true
    case let other?:
      throw ServiceFailure(status: 400, code: "invalid_query", message: "`\(name)` is `true` or `false`, not `\(other)`", field: name)
    }
  }

  /// A time in a query (`?at=2026-03-01`), read as a JSON string is.
  private func time(query text: String, program: Program) throws -> Instant {
    let node = try! JSONNode.parse(Array(JSONOutput.string(text).line().utf8), path: "<query>")
    return try time(node, program: program, field: "at")
  }

  private func time(_ node: JSONNode, program: Program, field: String) throws -> Instant {
    do throws(InputError) {
      return try program.decodeTime(node, path: "<request>")
    } catch {
      throw ServiceFailure(status: 422, code: "invalid_time", message: error.description, field: field)
    }
  }

  static func now() -> Instant { Instant(secondsSince1970: Int64(Date().timeIntervalSince1970)) }

  /// A store call; a failure is counted and becomes a 503.
  private func storeCall<T>(_ body: () throws(StoreError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      metrics.storeError()
      throw ServiceFailure.store(error.message)
    }
  }
}

extension JSONValue {
  fileprivate var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}
