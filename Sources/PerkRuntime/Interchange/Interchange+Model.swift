import PerkSource

extension Program {
  /// Reads an event from JSON.
  ///
  ///     {"type": "purchase", "id": "T1", "time": "2026-03-03T08:15:00-05:00",
  ///      "store": "downtown", "channel": "till",
  ///      "lines": [{"sku": "latte", "category": "coffee", "qty": 2, "unit_price": "4.50"}]}
  ///
  /// `type` is `purchase`, `return` (with `original`, the purchase's id, and the returned
  /// `lines`, matched by `sku`; prices may be left out), `redeem` (with `reward`), `signup`
  /// or `event` (with `name`). `time` is an ISO 8601
  /// date-time with `Z` or an offset; without an offset it is wall-clock time in the
  /// program's time zone; a date alone means local midnight. Prices are exact decimal
  /// strings or numbers; `amount` (the line total) may replace `unit_price` (given both,
  /// they must agree). A string amount follows `decimalMark` (`"4,50"` is refused unless it is
  /// `.comma`, ambiguous amounts always); a JSON number's point is always a decimal point. Keys
  /// are read strictly: a key the event's type does not have, or a key given twice, is an error
  /// (docs/interchange.md lists them), and a purchase needs a line.
  public func decodeEvent(_ node: JSONNode, path: String, decimalMark: DecimalMark = .point) throws(InputError) -> Event {
    let reader = NodeReader(path: path, decimalMark: decimalMark)
    // Every key of any type first, so a typo gets did-you-mean help before the type is known.
    let object = try ObjectKeys.check(node, known: EventKeys.all, what: "the event", path: path)
    let type = try reader.string(object["type"], "`type`", in: node)
    let id = try reader.string(object["id"], "`id`", in: node)
    let time = try decodeTime(reader.string(object["time"], "`time`", in: node), node: object["time"]!, reader: reader)
    let kind: Event.Kind
    switch type {
    case "purchase": kind = .purchase
    case "signup": kind = .signup
    case "event": kind = .custom(try reader.string(object["name"], "`name`", in: node))
    case "return": kind = .return(original: try reader.string(object["original"], "`original`", in: node))
    case "redeem", "redemption": kind = .redemption(reward: try reader.string(object["reward"], "`reward`", in: node))
    default:
      throw reader.error(object["type"]!,
                         "unknown event type `\(type)`; expected `purchase`, `return`, `redeem`, `signup` or `event`")
    }
    _ = try ObjectKeys.check(node, known: EventKeys.keys(of: type), what: "a `\(type)` event", path: path)
    var lines: [LineItem] = []
    var isReturn = false
    if case .return = kind { isReturn = true }
    if kind == .purchase || isReturn {
      guard let linesNode = object["lines"], case .array(let elements) = linesNode.value else {
        throw reader.error(object["lines"] ?? node, isReturn ? "a return needs `lines`, the returned items"
                                                            : "a purchase needs `lines`, an array of items")
      }
      // An empty basket would be paid nothing and earn nothing, yet count as a visit.
      guard !elements.isEmpty || isReturn else { throw reader.error(linesNode, "a purchase needs at least one line in `lines`") }
      for element in elements {
        let line = try ObjectKeys.check(element, known: EventKeys.line, what: "a line", path: path)
        let sku = try reader.string(line["sku"], "`sku`", in: element)
        let category = try reader.optionalString(line["category"]) ?? ""
        if let both = line["quantity"], line["qty"] != nil {
          throw reader.error(both, "a line gives `qty` and `quantity`; give one of them")
        }
        let quantityNode = line["qty"] ?? line["quantity"]
        let quantity = try reader.integer(quantityNode, "`qty`", in: element, default: 1)
        guard quantity > 0 else { throw reader.error(quantityNode ?? element, "`qty` must be a positive whole number") }
        let price: Money
        if isReturn, line["unit_price"] == nil, line["amount"] == nil {
          // A returned line is matched to the original by SKU; its price comes from the original.
          price = .zero(currency)
        } else if let unit = line["unit_price"] {
          price = try reader.money(unit, currency: currency)
          if let amount = line["amount"] {
            let total = try reader.money(amount, currency: currency)
            let (product, overflow) = price.minorUnits.multipliedReportingOverflow(by: quantity)
            guard !overflow, product == total.minorUnits else {
              throw reader.error(amount, "`amount` \(total.decimalString) is not \(quantity) × `unit_price` \(price.decimalString); "
                                   + "give one of them, or both in agreement")
            }
          }
        } else if let amount = line["amount"] {
          let total = try reader.money(amount, currency: currency)
          guard total.minorUnits % quantity == 0 else {
            throw reader.error(amount, "`amount` \(total.decimalString) does not divide evenly into \(quantity) units; give `unit_price`")
          }
          price = Money(minorUnits: total.minorUnits / quantity, currency: currency)
        } else {
          throw reader.error(element, "a line needs `unit_price` or `amount`")
        }
        lines.append(LineItem(sku: sku, category: category, quantity: quantity, unitPrice: price))
      }
    }
    return Event(kind: kind, id: id, time: time, lines: lines,
                 store: try reader.optionalString(object["store"]), channel: try reader.optionalString(object["channel"]))
  }

  /// Reads a time as an event's `time` is read (`perk serve`'s `POST /v1/advance` `to`).
  public func decodeTime(_ node: JSONNode, path: String) throws(InputError) -> Instant {
    let reader = NodeReader(path: path)
    return try decodeTime(reader.string(node, "the time", in: node), node: node, reader: reader)
  }

  /// Parses `2026-03-03T08:15:00-05:00`, `…Z`, `2026-03-03T08:15` (local) or `2026-03-03` (local midnight).
  func decodeTime(_ text: String, node: JSONNode, reader: NodeReader) throws(InputError) -> Instant {
    let bad = reader.error(node, "`\(text)` is not a date-time; write `2026-03-03T08:15:00-05:00` or `2026-03-03`")
    guard text.count >= 10, let date = LocalDate(iso: text.prefix(10)) else { throw bad }
    guard date.isReadable else { throw reader.error(node, "`\(text)` \(LocalDate.outsideReadableYears)") }
    if text.count == 10 { return timeZone.instant(of: date, secondOfDay: 0) }
    let rest = Array(text.utf8.dropFirst(10))
    guard rest.first == UInt8(ascii: "T") || rest.first == UInt8(ascii: " ") else { throw bad }
    var i = 1
    func digits(_ count: Int) -> Int? {
      guard i + count <= rest.count else { return nil }
      var value = 0
      for j in i..<i + count {
        guard rest[j] >= 48, rest[j] <= 57 else { return nil }
        value = value * 10 + Int(rest[j] - 48)
      }
      i += count
      return value
    }
    guard let hour = digits(2), i < rest.count, rest[i] == UInt8(ascii: ":") else { throw bad }
    i += 1
    guard let minute = digits(2), hour < 24, minute < 60 else { throw bad }
    var second = 0
    if i < rest.count, rest[i] == UInt8(ascii: ":") {
      i += 1
      guard let s = digits(2), s < 61 else { throw bad }
      second = s
      if i < rest.count, rest[i] == UInt8(ascii: ".") {
        i += 1
        while i < rest.count, rest[i] >= 48, rest[i] <= 57 { i += 1 }
      }
    }
    let secondOfDay = Int64(hour * 3600 + minute * 60 + second)
    if i == rest.count { return timeZone.instant(of: date, secondOfDay: secondOfDay) }
    let utc = date.dayNumber * 86_400 + secondOfDay
    if rest[i] == UInt8(ascii: "Z"), i + 1 == rest.count { return Instant(secondsSince1970: utc) }
    guard rest[i] == UInt8(ascii: "+") || rest[i] == UInt8(ascii: "-") else { throw bad }
    let sign: Int64 = rest[i] == UInt8(ascii: "+") ? 1 : -1
    i += 1
    guard let offsetHours = digits(2) else { throw bad }
    if i < rest.count, rest[i] == UInt8(ascii: ":") { i += 1 }
    guard let offsetMinutes = digits(2), i == rest.count else { throw bad }
    return Instant(secondsSince1970: utc - sign * Int64(offsetHours * 3600 + offsetMinutes * 60))
  }
}

extension Customer {
  /// Reads a customer from JSON:
  /// `{"id": "alice", "birthday": "1990-03-14", "signup_date": "2025-01-10", "segment": "student",
  /// "referred_by": "bob", "timezone": "America/New_York", "attributes": {"store": "downtown"}}`.
  /// An unknown `timezone` is an error at its position, never replaced by the program's zone.
  public static func decode(_ node: JSONNode, path: String) throws(InputError) -> Customer {
    let reader = NodeReader(path: path)
    let object = try ObjectKeys.check(node, known: ["id", "birthday", "signup_date", "segment", "referred_by", "timezone", "attributes"],
                                      what: "the customer", path: path)
    let id = try reader.string(object["id"], "`id`", in: node)
    var attributes: [String: String] = [:]
    if let extra = object["attributes"] {
      // Attribute names are the program's own (`customer.store`): any name, but only once.
      let members = try ObjectKeys.check(extra, known: nil, what: "`attributes`", path: path)
      for (key, value) in members { attributes[key] = try reader.string(value, "`\(key)`", in: extra) }
    }
    var zone: ProgramTimeZone?
    if let zoneNode = object["timezone"], let name = try reader.optionalString(zoneNode) {
      guard let known = ProgramTimeZone.named(name) else { throw reader.error(zoneNode, "`timezone`: " + ProgramTimeZone.unknownMessage(name)) }
      zone = known
    }
    return Customer(id: id, birthday: try reader.date(object["birthday"]), signupDate: try reader.date(object["signup_date"]),
                    segment: try reader.optionalString(object["segment"]),
                    referredBy: try reader.optionalString(object["referred_by"]), attributes: attributes, timeZone: zone)
  }

  /// The customer as JSON, in the form ``decode(_:path:)`` reads (`perk serve` returns and stores it).
  public var json: JSONOutput {
    var object: [String: JSONOutput] = ["id": .string(id)]
    if let birthday { object["birthday"] = .string(birthday.description) }
    if let signupDate { object["signup_date"] = .string(signupDate.description) }
    if let segment { object["segment"] = .string(segment) }
    if let referredBy { object["referred_by"] = .string(referredBy) }
    if let timeZone { object["timezone"] = .string(timeZone.identifier) }
    if !attributes.isEmpty { object["attributes"] = .object(attributes.mapValues { .string($0) }) }
    return .object(object)
  }
}

/// The keys an event may have, by type (docs/interchange.md).
enum EventKeys {
  static let common = ["type", "id", "time", "store", "channel"]
  static let line = ["sku", "category", "qty", "quantity", "unit_price", "amount"]
  static let all = common + ["lines", "original", "reward", "name"]

  static func keys(of type: String) -> [String] {
    switch type {
    case "purchase": return common + ["lines"]
    case "return": return common + ["original", "lines"]
    case "redeem", "redemption": return common + ["reward"]
    case "event": return common + ["name"]
    default: return common
    }
  }
}

/// Typed access to JSON nodes with errors that say where.
struct NodeReader {
  let path: String
  /// How string amounts write their decimals.
  var decimalMark: DecimalMark = .point

  init(path: String, decimalMark: DecimalMark = .point) {
    self.path = path
    self.decimalMark = decimalMark
  }

  func error(_ node: JSONNode, _ message: String) -> InputError {
    InputError(path: path, line: node.line, column: node.column, message: message)
  }

  func string(_ node: JSONNode?, _ what: String, in parent: JSONNode) throws(InputError) -> String {
    guard let node else { throw error(parent, "missing \(what)") }
    guard case .string(let text) = node.value else { throw error(node, "\(what) must be a string") }
    return text
  }

  func optionalString(_ node: JSONNode?) throws(InputError) -> String? {
    guard let node else { return nil }
    if case .null = node.value { return nil }
    guard case .string(let text) = node.value else { throw error(node, "expected a string") }
    return text
  }

  func integer(_ node: JSONNode?, _ what: String, in parent: JSONNode, default value: Int64) throws(InputError) -> Int64 {
    guard let node else { return value }
    guard case .number(let text) = node.value, let number = Int64(text) else {
      throw error(node, "\(what) must be a whole number")
    }
    return number
  }

  func money(_ node: JSONNode, currency: Currency) throws(InputError) -> Money {
    let text: String
    let result: Result<Int64, MoneyProblem>
    switch node.value {
    case .string(let s): text = s; result = MoneyText.parse(s, currency: currency, mark: decimalMark)
    case .number(let s): text = s; result = MoneyText.parseJSONNumber(s, currency: currency)
    default: throw error(node, "expected an amount such as \"4.50\"")
    }
    switch result {
    case .success(let minor): return Money(minorUnits: minor, currency: currency)
    case .failure(let problem):
      throw error(node, "`\(text)` is not an amount in \(currency.code): "
        + problem.explanation(text, currency: currency, mark: decimalMark))
    }
  }

  func date(_ node: JSONNode?) throws(InputError) -> LocalDate? {
    guard let node else { return nil }
    if case .null = node.value { return nil }
    guard case .string(let text) = node.value, let date = LocalDate(iso: text) else {
      throw error(node, "expected a date such as \"1990-03-14\"")
    }
    guard date.isReadable else { throw error(node, "`\(text)` \(LocalDate.outsideReadableYears)") }
    return date
  }
}

extension Award {
  /// The award as JSON for `perk eval`, the service and `perk sim --trace` (one vocabulary:
  /// docs/interchange.md).
  public var json: JSONOutput { json(valueUnknown: []) }

  /// The award as JSON; points of a currency in `valueUnknown` (no stated `worth`) have a
  /// `null` value rather than a zero one.
  ///
  /// Counts of points are `points` (with `currency`), of stamps `stamps` (with `card`); money
  /// is whole minor units in keys ending `_minor`, in the outcome's `money_currency`.
  public func json(valueUnknown: Set<String>) -> JSONOutput {
    var object: [String: JSONOutput] = ["rule": .string(source), "explanation": .string(explanation)]
    if let location { object["location"] = .string(location.description) }
    switch kind {
    case .points(let currency, let amount, let value):
      object["kind"] = .string("points")
      object["currency"] = .string(currency)
      object["points"] = .integer(amount)
      object["value_minor"] = valueUnknown.contains(currency) ? .null : .integer(value.minorUnits)
    case .stamps(let card, let count):
      object["kind"] = .string("stamps")
      object["card"] = .string(card)
      object["stamps"] = .integer(count)
    case .freeItem(let sku, let value):
      object["kind"] = .string("free_item")
      object["sku"] = .string(sku)
      object["value_minor"] = .integer(value.minorUnits)
    case .voucher(let name, let value, let until):
      object["kind"] = .string("voucher")
      object["name"] = .string(name)
      object["value_minor"] = .integer(value.minorUnits)
      object["valid_until"] = until.map { .string($0.description) } ?? .null
    case .reward(let name, let value):
      object["kind"] = .string("reward")
      object["name"] = .string(name)
      object["value_minor"] = .integer(value.minorUnits)
    case .tierChange(let from, let to):
      object["kind"] = .string("tier_change")
      object["from"] = from.map { .string($0) } ?? .null
      object["to"] = to.map { .string($0) } ?? .null
    case .expired(let currency, let amount, let date):
      object["kind"] = .string("expired")
      object["currency"] = .string(currency)
      object["points"] = .integer(amount)
      object["date"] = .string(date.description)
    case .released(let currency, let amount):
      object["kind"] = .string("released")
      object["currency"] = .string(currency)
      object["points"] = .integer(amount)
    case .redeemed(let reward, let currency, let cost, let value):
      object["kind"] = .string("redeemed")
      object["reward"] = .string(reward)
      object["currency"] = .string(currency)
      object["points"] = .integer(cost)
      object["value_minor"] = .integer(value.minorUnits)
    case .discount(let value):
      object["kind"] = .string("discount")
      object["value_minor"] = .integer(value.minorUnits)
    case .rebate(let r):
      object["kind"] = .string("rebate")
      object["phase"] = .string(r.phase.rawValue)
      object["rebate"] = .string(r.rebate)
      object["period_start"] = .string(r.periodStart.description)
      object["period_end"] = .string(r.periodEnd.description)
      object["volume_minor"] = .integer(r.volume.minorUnits)
      object["value_minor"] = .integer(r.amount.minorUnits)
      object["rate"] = r.rate.map { .string($0.description) } ?? .null
      object["next_threshold_minor"] = r.nextThreshold.map { .integer($0.minorUnits) } ?? .null
    }
    return .object(object)
  }
}

/// The versions of the JSON Perk writes (docs/interchange.md#versions).
public enum InterchangeFormat {
  /// The `format` of an outcome `perk eval` prints.
  public static let outcome = "perk.outcome/2"
  /// The `format` of a `perk sim --trace` line.
  public static let traceLine = "perk.trace/2"
}

extension Event.Kind {
  /// The event's `type` as the event JSON spells it: `purchase`, `return`, `redeem`, `signup`
  /// or `event` (a custom event, whose name is ``customName``).
  public var typeName: String {
    switch self {
    case .purchase: return "purchase"
    case .return: return "return"
    case .redemption: return "redeem"
    case .signup: return "signup"
    case .custom: return "event"
    }
  }

  /// A custom event's name (`on event "review written"`); nil for the other types.
  public var customName: String? {
    if case .custom(let name) = self { return name }
    return nil
  }
}

extension Program {
  /// The outcome of `event` as JSON: ``Outcome/json(valueUnknown:)`` with this program's
  /// unvalued currencies, plus the event's `type`, custom `name` and local `time`.
  public func outcomeJSON(_ outcome: Outcome, for event: Event, customer: Customer? = nil) -> JSONOutput {
    outcomeJSON(outcome, type: event.kind.typeName, name: event.kind.customName, time: event.time, customer: customer)
  }

  /// The outcome as JSON with the `type` (`purchase`, …, or `period_end` and `referral_credit`
  /// in a trace), a custom event's `name`, and `time` in RFC 3339 local to the customer's zone
  /// (``timeZone(for:)``: the program's unless it answers in customer time zones).
  public func outcomeJSON(_ outcome: Outcome, type: String, name: String?, time: Instant, customer: Customer? = nil) -> JSONOutput {
    guard case .object(var object) = outcome.json(valueUnknown: unvaluedCurrencies) else { return outcome.json }
    object["type"] = .string(type)
    if let name { object["name"] = .string(name) }
    object["time"] = .string((customer.map { timeZone(for: $0) } ?? timeZone).rfc3339(time))
    return .object(object)
  }
}

extension Outcome {
  /// The outcome as JSON (without the state, which `perk eval --out-state` writes separately).
  public var json: JSONOutput { json(valueUnknown: []) }

  /// The outcome as JSON, with `null` values for points of the currencies in `valueUnknown`
  /// (no stated `worth`: ``Program/unvaluedCurrencies``). Without the event's type and time:
  /// ``Program/outcomeJSON(_:for:)`` adds them.
  public func json(valueUnknown: Set<String>) -> JSONOutput {
    var object: [String: JSONOutput] = [
      "format": .string(InterchangeFormat.outcome),
      "txn": .string(eventID),
      "duplicate": .bool(duplicate),
      "paid_minor": .integer(amountPaid.minorUnits),
      "money_currency": .string(amountPaid.currency.code),
      "awards": .array(awards.map { $0.json(valueUnknown: valueUnknown) }),
      "balances": .object(balances.dictionary.mapValues { .integer($0) }),
      // The tier the event's earning used, and the one held after it: an auditor reads a
      // purchase's multiplier from `tier_before` even when a tier change follows.
      "tier_before": tierBefore.map { .string($0) } ?? .null,
      "tier": tierAfter.map { .string($0) } ?? .null,
    ]
    // The till's extras (see NearMisses.swift): written only when they say something, so
    // outcomes of programs without lots read as before.
    if let rejection { object["rejection"] = .string(rejection) }
    if let refunded { object["refunded_minor"] = .integer(refunded.minorUnits) }
    if !pending.isEmpty { object["pending"] = .object(pending.mapValues { .integer($0) }) }
    if !shortfall.isEmpty { object["shortfall"] = .object(shortfall.mapValues { .integer($0) }) }
    if !nextExpiry.isEmpty {
      object["next_expiry"] = .array(nextExpiry.map {
        .object(["currency": .string($0.currency), "points": .integer($0.amount), "date": .string($0.date.description),
                 "text": .string($0.text)])
      })
    }
    if !facts.isEmpty {
      object["facts"] = .array(facts.map {
        .object(["kind": .string($0.kind.rawValue), "date": .string($0.date.description), "text": .string($0.text)])
      })
    }
    if !nearMisses.isEmpty {
      object["near_misses"] = .array(nearMisses.map {
        .object(["kind": .string($0.kind.rawValue), "goal": .string($0.goal), "missing": .integer($0.missing),
                 "text": .string($0.text)])
      })
    }
    // Only programs with budgets can have shortfalls; other outcomes keep their shape.
    if !budgetShortfalls.isEmpty {
      object["budget_shortfalls"] = .array(budgetShortfalls.map { shortfall in
        .object(["rule": .string(shortfall.rule), "budget": .string(shortfall.budget),
                 "needed_minor": .integer(shortfall.needed.minorUnits), "remaining_minor": .integer(shortfall.remaining.minorUnits)])
      })
    }
    // Transfers appear only when an event has some, so outputs without referrals are unchanged.
    if !transfers.isEmpty { object["transfers"] = .array(transfers.map(\.json)) }
    if !transfersHeld.isEmpty { object["transfers_held"] = .array(transfersHeld.map(\.json)) }
    if !transfersCancelled.isEmpty { object["transfers_cancelled"] = .array(transfersCancelled.map(\.json)) }
    // Messages appear only when a rule sent some, so outputs of programs without contact are unchanged.
    if !messages.isEmpty { object["messages"] = .array(messages.map(\.json)) }
    if !suppressedMessages.isEmpty { object["suppressed_messages"] = .array(suppressedMessages.map(\.json)) }
    return .object(object)
  }
}

extension DueMessage {
  /// The message as JSON for `perk eval`: `deferred_from` and `suppressed` only when they apply.
  public var json: JSONOutput {
    var object: [String: JSONOutput] = [
      "rule": .string(rule), "channel": .string(channel.rawValue), "text": .string(text), "due": .string(dueText),
      "why": .string(reason),
    ]
    if let deferredFrom { object["deferred_from"] = .string(deferredFrom) }
    if let suppression { object["suppressed"] = .string(suppression) }
    return .object(object)
  }
}

extension PointsTransfer {
  /// The transfer as JSON for `perk eval`, in the outcome's vocabulary (`points`, `value_minor`).
  public var json: JSONOutput {
    .object([
      "customer": .string(customer), "from": .string(from), "currency": .string(currency), "points": .integer(amount),
      "value_minor": .integer(value.minorUnits), "rule": .string(rule), "reason": .string(reason),
      "source_transaction": .string(sourceTransaction), "release_on": .string(releaseOn.description),
    ])
  }
}
