import Foundation
import Perk
import PerkTestSupport
import Testing

@testable import PerkRuntime

/// Events, customers and states are read strictly: a misspelt or repeated key is a located
/// error with did-you-mean help, never a value silently dropped (issue 16, item 5).
@Suite struct StrictInterchangeTests {
  static let cafe: Program = {
    let url = PerkExecutable.repositoryRoot().appendingPathComponent("rules/cafe.perk")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return compile(source: text, path: "rules/cafe.perk").program!
  }()

  func failure(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
  }

  func event(_ text: String) throws -> Event {
    try Self.cafe.decodeEvent(JSONNode.parse(Array(text.utf8), path: "e.json"), path: "e.json")
  }

  func customer(_ text: String) throws -> Customer {
    try Customer.decode(JSONNode.parse(Array(text.utf8), path: "c.json"), path: "c.json")
  }

  func state(_ text: String) throws -> AccountState {
    try Self.cafe.decodeState(JSONNode.parse(Array(text.utf8), path: "s.json"), path: "s.json")
  }

  // MARK: Events

  @Test func aMisspeltLineKeyIsAnErrorWithDidYouMean() {
    let text = """
      {"type": "purchase", "id": "T1", "time": "2026-03-03T08:15",
       "lines": [{"sku": "latte", "categroy": "coffee", "unit_price": "4.50"}]}
      """
    #expect(failure { _ = try event(text) } == "e.json:2:41: unknown key `categroy` in a line; did you mean `category`?")
  }

  @Test func aMisspeltEventKeyIsAnErrorWithDidYouMean() {
    let text = #"{"type": "purchase", "id": "T1", "time": "2026-03-03", "chanel": "web", "lines": [{"sku": "a", "unit_price": 1}]}"#
    #expect(failure { _ = try event(text) } == "e.json:1:66: unknown key `chanel` in the event; did you mean `channel`?")
    let far = #"{"type": "signup", "id": "S", "time": "2026-03-03", "loyalty_tier": "gold"}"#
    #expect(failure { _ = try event(far) }
            == "e.json:1:69: unknown key `loyalty_tier` in the event; expected `type`, `id`, `time`, `store`, `channel`, `lines`, `original`, `reward` or `name`")
  }

  @Test func aKeyOfAnotherEventTypeIsAnError() {
    let text = #"{"type": "signup", "id": "S", "time": "2026-03-03", "reward": "free drink"}"#
    #expect(failure { _ = try event(text) }
            == "e.json:1:63: unknown key `reward` in a `signup` event; expected `type`, `id`, `time`, `store` or `channel`")
  }

  @Test func aKeyGivenTwiceIsAnError() {
    let text = """
      {"type": "purchase", "id": "T1", "time": "2026-03-03",
       "lines": [{"sku": "latte", "unit_price": "4.50", "unit_price": "5.50"}]}
      """
    #expect(failure { _ = try event(text) } == "e.json:2:65: `unit_price` is given twice in a line (first at line 2, column 43)")
    let top = #"{"id": "T1", "type": "purchase", "id": "T2", "time": "2026-03-03", "lines": [{"sku": "a", "amount": 1}]}"#
    #expect(failure { _ = try event(top) } == "e.json:1:40: `id` is given twice in the event (first at line 1, column 8)")
  }

  @Test func aPurchaseWithNoLinesIsAnError() {
    #expect(failure { _ = try event(#"{"type": "purchase", "id": "T1", "time": "2026-03-03", "lines": []}"#) }
            == "e.json:1:65: a purchase needs at least one line in `lines`")
  }

  @Test func qtyAndQuantityTogetherAreAnError() {
    let text = #"{"type": "purchase", "id": "T1", "time": "2026-03-03", "lines": [{"sku": "a", "qty": 2, "quantity": 3, "unit_price": 1}]}"#
    #expect(failure { _ = try event(text) } == "e.json:1:101: a line gives `qty` and `quantity`; give one of them")
  }

  @Test func unitPriceAndAmountMustAgree() throws {
    let disagree = #"{"type": "purchase", "id": "T1", "time": "2026-03-03", "lines": [{"sku": "a", "qty": 2, "unit_price": "4.50", "amount": "4.50"}]}"#
    #expect(failure { _ = try event(disagree) }
            == "e.json:1:121: `amount` 4.50 is not 2 × `unit_price` 4.50; give one of them, or both in agreement")
    let agree = #"{"type": "purchase", "id": "T1", "time": "2026-03-03", "lines": [{"sku": "a", "qty": 2, "unit_price": "4.50", "amount": "9.00"}]}"#
    #expect(try event(agree).lines.map(\.unitPrice.minorUnits) == [450])
  }

  @Test func surrogatePairsAreOneCharacterAndHalvesAreErrors() throws {
    func sku(_ escaped: String) throws -> String {
      try event(#"{"type": "purchase", "id": "T1", "time": "2026-03-03", "lines": [{"sku": "\#(escaped)", "unit_price": 1}]}"#).lines[0].sku
    }
    #expect(try sku(#"tea \ud83c\udf75"#) == "tea 🍵")
    #expect(try sku(#"caf\u00e9"#) == "café")
    #expect(failure { _ = try sku(#"\ud83c tea"#) }
            == "e.json:1:81: `\\ud83c` begins a surrogate pair that is not finished by a `\\uDC00`–`\\uDFFF` escape")
    #expect(failure { _ = try sku(#"\ud83c\u0041"#) } == "e.json:1:87: `\\u0041` cannot finish the surrogate pair begun by `\\ud83c`")
    #expect(failure { _ = try sku(#"\udf75"#) } == "e.json:1:81: `\\udf75` is half of a surrogate pair, not a character")
    #expect(failure { _ = try sku(#"\u+0e9"#) } == "e.json:1:77: bad `\\u` escape in string")
  }

  // MARK: Customers

  @Test func aMisspeltCustomerKeyIsAnError() {
    #expect(failure { _ = try customer(#"{"id": "alice", "birthdya": "1990-03-14"}"#) }
            == "c.json:1:29: unknown key `birthdya` in the customer; did you mean `birthday`?")
    #expect(failure { _ = try customer(#"{"id": "alice", "attributes": {"store": "a", "store": "b"}}"#) }
            == "c.json:1:55: `store` is given twice in `attributes` (first at line 1, column 41)")
  }

  // MARK: The documented examples

  /// The ```json event|customer|state blocks of docs/interchange.md, read as documented (the
  /// outcome and trace-line blocks are checked against their schemas by `SchemaTests`).
  @Test func theDocumentedExamplesReadStrictly() throws {
    let url = PerkExecutable.repositoryRoot().appendingPathComponent("docs/interchange.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    var blocks: [String: String] = [:]
    var current: (kind: String, text: String)?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let block = current {
        if line == "```" { blocks[block.kind] = block.text; current = nil } else { current = (block.kind, block.text + line + "\n") }
      } else if line.hasPrefix("```json ") {
        current = (String(line.dropFirst("```json ".count)), "")
      }
    }
    #expect(blocks.keys.sorted() == ["customer", "event", "outcome", "state", "trace-line"])
    let event = try event(blocks["event"] ?? "")
    #expect(event.lines.map(\.unitPrice.minorUnits) == [450, 325])
    #expect(event.lines.map(\.quantity) == [1, 2])
    #expect(try customer(blocks["customer"] ?? "").attributes == ["home_store": "downtown"])
    let documented = try state(blocks["state"] ?? "")
    #expect(documented.balances == ["stars": 57])
    // The documented state is what `perk eval` writes for the example purchase and customer.
    let purchase = try Self.cafe.decodeEvent(JSONNode.parse(Array(try Data(contentsOf: PerkExecutable.repositoryRoot()
      .appendingPathComponent("rules/examples/cafe-purchase.json"))), path: "p"), path: "p")
    let buyer = try Customer.decode(JSONNode.parse(Array(try Data(contentsOf: PerkExecutable.repositoryRoot()
      .appendingPathComponent("rules/examples/cafe-customer.json"))), path: "c"), path: "c")
    #expect(try Self.cafe.evaluate(purchase, customer: buyer, state: AccountState()).state == documented)
  }

  // MARK: States

  /// The cafe's state after one purchase, as `perk eval --out-state` writes it.
  static func writtenState() throws -> String {
    let event = try cafe.decodeEvent(JSONNode.parse(Array(#"""
      {"type": "purchase", "id": "T1", "time": "2026-03-03T08:15",
       "lines": [{"sku": "latte", "category": "coffee", "qty": 2, "unit_price": "4.50"}]}
      """#.utf8), path: "e"), path: "e")
    let outcome = try cafe.evaluate(event, customer: Customer(id: "alice"), state: AccountState())
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(outcome.state), as: UTF8.self)
  }

  @Test func aWrittenStateReadsBackExactly() throws {
    let text = try Self.writtenState()
    let decoded = try state(text)
    #expect(decoded.balances == ["stars": 18])
    #expect(decoded.stamps == ["coffee card": 2])
    #expect(decoded == (try JSONDecoder().decode(AccountState.self, from: Data(text.utf8))))
  }

  @Test func aMisspeltStateKeyIsAnErrorWithDidYouMean() throws {
    let text = try Self.writtenState().replacingOccurrences(of: #""balances""#, with: #""balance""#)
    let message = failure { _ = try state(text) }
    #expect(message.hasPrefix("s.json:"))
    #expect(message.hasSuffix(": unknown key `balance` in the state; did you mean `balances`?"))
  }

  @Test func aMisspeltNestedStateKeyNamesItsPlace() {
    let text = """
      {"version": 2,
       "ledger": [{"date": "2026-03-03", "spend": 900, "purchases": 1, "purchase": 1}]}
      """
    #expect(failure { _ = try state(text) } == "s.json:2:78: unknown key `purchase` in `ledger[0]`; did you mean `purchases`?")
  }

  @Test func aRepeatedStateKeyIsAnError() {
    #expect(failure { _ = try state(#"{"version": 2, "balances": {"stars": 10, "stars": 20}}"#) }
            == "s.json:1:51: `stars` is given twice in `balances` (first at line 1, column 38)")
  }

  @Test func stateValuesOfTheWrongTypeSayWhere() {
    #expect(failure { _ = try state(#"{"version": 2, "purchase_count": 1.5}"#) }
            == "s.json:1:34: `purchase_count` must be a whole number from -9223372036854775808 to 9223372036854775807")
    #expect(failure { _ = try state(#"{"version": 2, "last_purchase": "March"}"#) }
            == "s.json:1:33: `March` is not a date (yyyy-MM-dd) (at `last_purchase`)")
    #expect(failure { _ = try state(#"{"version": 9}"#) }
            == "s.json:1:13: state version 9 is not supported (this build reads version 2) (at `version`)")
    #expect(failure { _ = try state(#"{"balances": {}}"#) } == "s.json:1:1: missing `version` in the state")
    #expect(failure { _ = try state(#"{"version": 1, "balances": {"stars": 5}, "lots": []}"#) }
            == "s.json:1:50: a version 1 state has no `lots` (it came with version 2) (at `lots`)")
  }

  @Test func aStateOfAnotherProgramIsRefused() {
    #expect(failure { _ = try state(#"{"version": 2, "balances": {"points": 120}}"#) }
            == "s.json:1:39: unknown points currency `points` in the state; the program has `stars` "
               + "(a state written for another program is refused: see docs/interchange.md)")
    #expect(failure { _ = try state(#"{"version": 2, "stamps": {"coffee crad": 3}}"#) }
            == "s.json:1:42: unknown stamp card `coffee crad` in the state; did you mean `coffee card`? "
               + "(a state written for another program is refused: see docs/interchange.md)")
    #expect(failure { _ = try state(#"{"version": 2, "tier": "platinum"}"#) }
            == "s.json:1:24: unknown tier `platinum` in the state; the program has `green`, `gold` or `reserve` "
               + "(a state written for another program is refused: see docs/interchange.md)")
    #expect(failure { _ = try state(#"{"version": 2, "rule_awards": {"welcome": ["2026-03-03"]}}"#) }
            == "s.json:1:43: unknown rule `welcome` in the state; the program has `base earn`, `pastry triple`, "
               + "`double star tuesday`, `welcome back` or `birthday treat` (a state written for another program is refused: see docs/interchange.md)")
    #expect(failure { _ = try state(#"{"version": 2, "lots": [{"currency": "miles", "amount": 5, "earned": "2026-03-03"}]}"#) }
            .hasPrefix("s.json:1:38: unknown points currency `miles` in the state"))
    #expect(failure { _ = try state(#"{"version": 2, "cap_usage": {"points miles": [{"date": "2026-03-03", "amount": 5}]}}"#) }
            .hasPrefix("s.json:1:46: unknown cap `points miles` in the state"))
  }

  /// Every object of a state with every part filled is checked against its type's keys: the
  /// only objects read without a key list are dictionaries (names from the data).
  @Test func everyFixedKeyObjectOfAStateIsChecked() throws {
    var state = AccountState()
    state.balances = ["stars": 10]
    state.stamps = ["coffee card": 1]
    state.tier = "gold"
    state.tierKeptUntil = ["gold": try #require(LocalDate(year: 2027, month: 1, day: 1))]
    let day = try #require(LocalDate(year: 2026, month: 3, day: 3))
    state.ledger = [AccountState.LedgerDay(date: day, spend: 450, purchases: 1)]
    state.lastPurchase = day
    state.ruleAwards = ["welcome back": [day]]
    state.recentTransactions = ["T1"]
    var rebate = RebateAccount()
    rebate.slices = [RebateAccount.Slice(start: day, volume: 10)]
    rebate.lastSettled = RebateAccount.Slice(start: day, volume: 5)
    rebate.firstActivity = day
    rebate.processedThrough = day
    rebate.purchases = ["T1": RebateAccount.Contribution(slice: day, amount: 10)]
    state.rebates = ["volume": rebate]
    state.lots = [PointsLot(currency: "stars", amount: 10, earned: day, expiresOn: day, pendingUntil: day, source: "T1")]
    state.records = [TransactionRecord(
      id: "T1", day: day,
      lines: [TransactionRecord.Line(sku: "latte", category: "coffee", quantity: 1, unitMinor: 450, netMinor: 450,
                                     points: ["stars": 9], stamps: ["coffee card": 1])],
      flatPoints: ["stars": 1], promotion: PromotionReturnRecord(rules: ["base earn"], freeUnits: [0], reversedPoints: ["stars": 1]))]
    state.processedThrough = day
    state.capUsage = ["points stars": [AccountState.CapUsage(date: day, amount: 3)]]
    state.triggers.lastVisitWeek = day
    state.triggers.visitStreak = 2
    state.triggers.heldTransfers = [PointsTransfer(customer: "bob", from: "alice", currency: "stars", amount: 5,
                                                   value: Money(minorUnits: 5, currency: Self.cafe.currency), rule: "welcome back",
                                                   reason: "r", sourceTransaction: "T1", releaseOn: day)]
    let data = try JSONEncoder().encode(state)
    let audit = JSONTreeDecoder.Audit()
    let decoded = try JSONTreeDecoder.decode(AccountState.self, from: JSONNode.parse(Array(data), path: "s.json"), path: "s.json",
                                             what: "the state", audit: audit)
    #expect(decoded == state)
    #expect(!audit.uncheckedKeyTypes.isEmpty)
    #expect(audit.uncheckedKeyTypes.allSatisfy { $0.contains("_DictionaryCodingKey") }, "\(audit.uncheckedKeyTypes)")
  }
}
