import Foundation
import Perk
import PerkTestSupport
import Testing
@testable import PerkREPL

/// The session model without a terminal: inputs in, text and state out.
@Suite struct SessionTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let cafe = (try? String(contentsOf: root.appendingPathComponent("rules/cafe.perk"), encoding: .utf8)) ?? ""

  /// Files in memory: `cafe.perk` holds the café program unless a test changes it.
  final class Disk: @unchecked Sendable {
    var files: [String: String] = ["cafe.perk": SessionTests.cafe]
    var access: Session.FileAccess {
      Session.FileAccess(read: { self.files[$0] }, write: { self.files[$0] = $1 })
    }
  }

  static func session(_ disk: Disk = Disk()) -> Session {
    var session = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = session.load(path: "cafe.perk")
    _ = session.setStart("2026-11-03T10:00")
    return session
  }

  @Test func aPurchaseEarnsAndUndoRestoresTheWorldExactly() {
    var s = Self.session()
    _ = s.handle(":customer alice")
    let before = s.world
    let out = s.handle("buy 2 latte @ 4.50 coffee")
    // Tuesday in November: base earn doubled by `double star tuesday`.
    #expect(out == """
      T1 alice 2026-11-03 Tue 10:00  paid $9.00
        +2 stamps  coffee card
        +36 stars  base earn
        next: 114 stars to free drink · 8 more coffee or tea items to a free one (coffee card) · $491.00 more spend to gold (net amounts paid, before tax)
        stars 36 · coffee card 2/10 · tier green

      """)
    #expect(s.world.accounts["alice"]?.state.balances["stars"] == 36)
    #expect(s.world.accounts["alice"]?.state.stamps["coffee card"] == 2)
    #expect(s.history.count == 1)
    #expect(s.handle(":undo") == "undid T1 (buy 2 latte @ $4.50 coffee); clock 2026-11-03 Tue 10:00 America/New_York\n")
    #expect(s.world == before)
    #expect(s.history.isEmpty)
    #expect(!s.hadError)
  }

  @Test func skusRememberTheirPriceAndCategory() {
    var s = Self.session()
    _ = s.handle("buy croissant @ 3.25 pastry")
    _ = s.handle("buy 2 croissant")
    guard case .event(_, let event)? = s.history.last?.kind else {
      Issue.record("no event")
      return
    }
    #expect(event.lines == [LineItem(sku: "croissant", category: "pastry", quantity: 2, unitPrice: Money(minorUnits: 325, currency: Currency.named("USD")!))])
    // The first event created the customer `guest`.
    #expect(s.world.order == ["guest"])
  }

  @Test func expressionsReadTheCurrentCustomerAtTheClock() {
    var s = Self.session()
    _ = s.handle(":customer alice birthday 1990-11-14")
    #expect(s.handle("days since last purchase") == "none\n")
    #expect(s.handle("purchases so far") == "0\n")
    _ = s.handle("buy 10 latte @ 4.50 coffee")
    _ = s.handle(":advance 3 days")
    #expect(s.handle("stars balance") == "162 stars\n")  // 9 paid: $40.50 × 2 × 2 (Tuesday)
    #expect(s.handle("spend in last 12 months") == "$40.50\n")
    #expect(s.handle("visits in last 30 days") == "1\n")
    #expect(s.handle("days since last purchase") == "3\n")
    #expect(s.handle("weekday") == "Friday\n")
    #expect(s.handle("month is birthday month") == "true\n")
    #expect(s.handle("tier") == "green\n")
    #expect(s.handle("spend in last 12 months * 2") == "$81.00\n")
    #expect(s.handle("coffee card stamps") == "0\n")
    #expect(!s.hadError)
  }

  @Test func aBrokenDeclarationLeavesEverythingAsItWas() {
    var s = Self.session()
    _ = s.handle("buy latte @ 4.50 coffee")
    let world = s.world
    let out = s.handle("rule broken\n  on purchase\n  earn 5 starz per $1 spent")
    #expect(out.hasPrefix("error[E0302]: unknown points currency `starz`\n --> <input 1>:3:10\n"))
    #expect(out.contains("3 |   earn 5 starz per $1 spent\n  |          ^^^^^ not declared\n"))
    #expect(s.hadError)
    #expect(s.typed.isEmpty)
    #expect(s.world == world)
    #expect(s.program?.ruleNames.contains("broken") == false)
  }

  @Test func aTypedRuleJoinsTheProgramAndFires() {
    var s = Self.session()
    #expect(s.handle("rule big basket\n  on purchase\n  when basket total >= $20\n  earn 100 stars") == "added rule big basket\n")
    let out = s.handle("buy 5 latte @ 4.50 coffee")
    #expect(out.contains("+100 stars  big basket\n"))
    #expect(s.world.accounts["guest"]?.state.balances["stars"] == 190)
  }

  @Test func reloadReadsTheEditedFileAndKeepsCustomersClockAndAccounts() {
    let disk = Disk()
    var s = Self.session(disk)
    _ = s.handle(":customer alice")
    _ = s.handle("buy latte @ 4.50 coffee")
    _ = s.handle(":advance 1 day")
    disk.files["cafe.perk"] = Self.cafe.replacingOccurrences(of: "earn 2 stars per $1 spent", with: "earn 3 stars per $1 spent")
    #expect(s.handle(":reload").hasPrefix("reloaded cafe.perk: \"Bean & Leaf Rewards\""))
    #expect(s.world.accounts["alice"]?.state.balances["stars"] == 18)
    #expect(s.shortTime(s.world.clock) == "2026-11-04 Wed 10:00")
    #expect(s.handle("buy latte").contains("+13 stars  base earn"))
    // A broken edit keeps the previous program.
    disk.files["cafe.perk"] = "program \"x\"\n"
    let broken = s.handle(":reload")
    #expect(broken.contains("error[E0503]"))
    #expect(broken.hasSuffix("the previous program stays in use\n"))
    #expect(s.program?.name == "Bean & Leaf Rewards")
  }

  @Test func aBrokenFileIsKeptUntilItIsFixedAndReloaded() {
    let disk = Disk()
    disk.files["cafe.perk"] = Self.cafe.replacingOccurrences(of: "earn 2 stars per $1 spent", with: "earn 2 starz per $1 spent")
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    let opening = s.load(path: "cafe.perk")
    #expect(opening.hasPrefix("error[E0302]: unknown points currency `starz`"))
    #expect(opening.hasSuffix("fix the file, then `:reload`\n"))
    #expect(s.program == nil)
    disk.files["cafe.perk"] = Self.cafe
    #expect(s.handle(":reload").hasPrefix("reloaded cafe.perk: \"Bean & Leaf Rewards\""))
    #expect(s.program != nil)
  }

  @Test func resetForgetsEventsButKeepsCustomers() {
    var s = Self.session()
    _ = s.handle(":customer alice birthday 1990-01-01")
    _ = s.handle("buy latte @ 4.50 coffee")
    _ = s.handle(":advance 2 days")
    _ = s.handle(":reset")
    #expect(s.history.isEmpty)
    #expect(s.world.accounts["alice"]?.state == AccountState())
    #expect(s.world.accounts["alice"]?.customer.birthday == LocalDate(year: 1990, month: 1, day: 1))
    #expect(s.world.clock == s.startClock)
    #expect(s.world.nextTransaction == 1)
  }

  @Test func returnsFindTheOriginalLines() {
    var s = Self.session()
    _ = s.handle("buy 2 latte @ 4.50 coffee, croissant @ 3.25 pastry")
    _ = s.handle("return T1 latte")
    guard case .event(let id, let event)? = s.history.last?.kind else {
      Issue.record("no event")
      return
    }
    #expect(id == "T2")
    #expect(event.kind == .return(original: "T1"))
    #expect(event.lines == [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: Currency.named("USD")!))])
    // `return T1` takes back what is left: one latte came back already.
    _ = s.handle("return T1")
    guard case .event(_, let whole)? = s.history.last?.kind else { return }
    #expect(whole.lines.map(\.sku) == ["latte", "croissant"])
    #expect(whole.lines.map(\.quantity) == [1, 1])
    #expect(s.history.last?.outcome?.rejection == nil)
    #expect(s.handle("return T1").hasPrefix("error: everything `T1` bought has come back already\n"))
  }

  @Test func eventForAnotherCustomerNamedLast() {
    var s = Self.session()
    _ = s.handle(":customer bob")
    _ = s.handle(":customer alice")
    let out = s.handle("event referral bob")
    #expect(out.hasPrefix("(for bob)\nT1 bob "))
    #expect(s.history.last?.customer == "bob")
    #expect(s.world.current == "alice")
  }

  @Test func saveWritesTheProgramAndAScenario() {
    let disk = Disk()
    var s = Self.session(disk)
    _ = s.handle(":customer alice signup 2025-01-01")
    _ = s.handle("buy latte @ 4.50 coffee")
    #expect(s.handle(":save out.perk") == "saved out.perk: the program and a test of 1 event; run `perk test out.perk`\n")
    let saved = disk.files["out.perk"] ?? ""
    // The program without its own tests, then the session's.
    #expect(saved.hasPrefix(Session.withoutTests(Self.cafe).prefix(200)))
    #expect(saved.components(separatedBy: "\ntest ").count == 2)
    #expect(saved.hasSuffix("""

      test repl session
        customer alice, signed up 2025-01-01
        on 2026-11-03 10:00 alice buys 1 latte at $4.50 (coffee) as T1
        expect alice earns 18 stars from base earn
        expect alice pays $4.50
        expect alice has 18 stars, 1 stamps on coffee card, tier green

      """))
  }

  @Test func testsAreStrippedFromTheSavedProgram() {
    let text = "program \"x\"\n  currency USD\n\ntest one\n  customer a\n\n# kept\nrule r\n  on purchase\ntest two\n  customer b\n"
    #expect(Session.withoutTests(text) == "program \"x\"\n  currency USD\n\n# kept\nrule r\n  on purchase\n")
  }

  @Test func referralPointsAreCreditedToTheReferrerWhenTheHoldPasses() throws {
    let disk = Disk()
    disk.files["p7.perk"] = try String(contentsOf: Self.root.appendingPathComponent("rules/p7-referral.perk"), encoding: .utf8)
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "p7.perk")
    _ = s.setStart("2026-03-02T10:00")
    _ = s.handle(":customer carol")
    _ = s.handle(":customer bob referrer carol")
    #expect(s.handle("buy jacket @ 25 clothing").contains("  held for carol: 300 points (referral welcome), released on 2026-03-16 if T1 is kept\n"))
    #expect(s.handle(":advance 13 days") == "clock 2026-03-15 Sun 10:00 America/New_York\n  no period end changed anything\n")
    #expect(s.handle(":advance 1 day").contains("  → carol +300 points (referral welcome: "))
    #expect(s.world.accounts["carol"]?.state.balances["points"] == 300)
    _ = s.handle(":save p7-session.perk")
    #expect(disk.files["p7-session.perk"]?.hasSuffix("  on 2026-03-16 10:00 time passes\n  expect carol has 300 points\n") == true)
  }

  @Test func clockMovesOnlyForward() {
    var s = Self.session()
    #expect(s.handle(":at 2026-12-31 23:30") == "clock 2026-12-31 Thu 23:30 America/New_York\n")
    #expect(s.handle(":advance 1 hour") == "clock 2027-01-01 Fri 00:30 America/New_York\n")
    #expect(s.handle(":advance 1 month") == "clock 2027-02-01 Mon 00:30 America/New_York\n")
    #expect(s.handle(":at 2027-01-01").hasPrefix("error: the clock cannot go back"))
    #expect(s.handle(":advance 101 years").hasPrefix("error: the clock moves at most 100 years at a time"))
    #expect(s.handle(":at 9999-12-31").hasPrefix("error: the clock moves at most 100 years at a time"))
    // DST: 2027-03-14 is spring-forward in New York; a day later is the same wall time.
    _ = s.handle(":at 2027-03-13 12:00")
    #expect(s.handle(":advance 1 day") == "clock 2027-03-14 Sun 12:00 America/New_York\n")
  }

  @Test func unknownInputIsReportedAsAnExpressionWithAHint() {
    var s = Self.session()
    let out = s.handle("hello world")
    #expect(out.hasPrefix("error[E0209]: unexpected `world` after the expression\n"))
    #expect(out.hasSuffix("(not a command, an event or a declaration either: `:help` lists them)\n"))
    #expect(s.hadError)
  }

  @Test func aQuestionThatStartsLikeADeclarationIsAnExpression() throws {
    let text = try String(contentsOf: Self.root.appendingPathComponent("rules/p9-expiring-points.perk"), encoding: .utf8)
    let disk = Disk()
    disk.files["p9.perk"] = text
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "p9.perk")
    _ = s.handle("buy jacket @ 120 outerwear")
    // The currency is called `points`: `points balance` asks, `points bonus` declares.
    #expect(!s.opensDeclaration("points balance"))
    #expect(s.opensDeclaration("points bonus"))
    #expect(s.handle("points balance") == "120 points\n")
    #expect(s.typed.isEmpty)
  }

  @Test func stateSaysPointsWithoutAWorthHaveAnUnknownValue() throws {
    let disk = Disk()
    disk.files["stars.perk"] = try String(contentsOf: Self.root.appendingPathComponent("rules/points-without-worth.perk"), encoding: .utf8)
    var s = Session(style: ReplStyle(enabled: false), clock: Instant(secondsSince1970: 0), files: disk.access)
    _ = s.load(path: "stars.perk")
    _ = s.handle("buy lamp @ 30 home")
    let state = s.handle(":state")
    #expect(state.contains("  stars      70 (worth unknown)\n"), "\(state)")
    #expect(state.contains("  credit     30 (worth $0.30)\n"), "\(state)")
  }

  /// Random inputs built from the notation's pieces: every one gets an answer, none traps
  /// or hangs, and the session stays usable.
  @Test func randomInputsNeverBreakTheSession() {
    var s = Self.session()
    let pieces = ["buy", "return", "redeem", "event", "signup", ":customer", ":use", ":advance", ":at", ":undo", ":state",
                  ":explain", ":history", "latte", "2", "@", "4.50", ",", "coffee", "T1", "T9", "free drink", "days", "1",
                  "stars balance", "\"", "rule", "  on purchase", "-3", "99999999999999999999", "€", "é", "(", ")", "and",
                  "spend in last 12 months", ">=", "$5", "tier", "gold", "12:00", "2026-11-30", "x", "×", "#"]
    var generator = SeededGenerator(state: 0x5EED_0003)
    for _ in 0..<200 {
      let count = Int.random(in: 1...6, using: &generator)
      let line = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined(separator: " ")
      _ = s.handle(line)
    }
    _ = s.handle(":reset")
    _ = s.handle(":customer zed")
    #expect(s.handle("buy latte @ 4.50 coffee").hasPrefix("T1 zed "))
  }

  @Test func completionOffersWhatFitsWhereTheCursorIs() {
    var s = Self.session()
    _ = s.handle(":customer alice")
    _ = s.handle(":customer bob")
    _ = s.handle("buy latte @ 4.50 coffee, croissant @ 3.25 pastry")
    func offer(_ text: String) -> CompletionOffer? { s.completions(text, cursor: text.count) }
    #expect(offer(":re")?.candidates.filter { $0.hasPrefix(":re") } == [":reload", ":reset"])
    #expect(offer(":use a") == CompletionOffer(start: 5, candidates: ["alice", "bob"]))
    #expect(offer("redeem fr") == CompletionOffer(start: 7, candidates: ["free drink"]))
    #expect(offer("return ") == CompletionOffer(start: 7, candidates: ["T1"]))
    #expect(offer("return T1 cr") == CompletionOffer(start: 10, candidates: ["latte", "croissant"]))
    #expect(offer("buy 2 la") == CompletionOffer(start: 6, candidates: ["croissant", "latte"]))
    #expect(offer("buy muffin @ 3.50 pa")?.candidates.contains("pastry") == true)
    #expect(offer("buy muffin @ 3.50 pa")?.start == 18)
    #expect(offer(":customer dave ti") == CompletionOffer(start: 15, candidates: ["birthday", "signup", "segment", "referrer", "tier"]))
    #expect(offer(":customer dave tier ") == CompletionOffer(start: 20, candidates: ["green", "gold", "reserve"]))
    #expect(offer("double star")?.candidates == ["double star tuesday"])
    #expect(offer("coffee card st")?.candidates == ["coffee card stamps"])
    // The words that start an event, at the start of the line only.
    #expect(offer("re") == CompletionOffer(start: 0, candidates: ["rebate", "redeem", "reserve", "return", "reward"]))
    #expect(offer("ev") == CompletionOffer(start: 0, candidates: ["event"]))
    #expect(offer("b")?.candidates.contains("buy") == true)
    #expect(offer("stars balance >= re")?.candidates.contains("redeem") == false)
    // The declaration words come from the keyword table (the REPL's own list lacked `rebate`).
    #expect(offer("reb") == CompletionOffer(start: 0, candidates: ["rebate"]))
  }

  @Test func quitFinishes() {
    var s = Self.session()
    #expect(s.handle(":quit") == "")
    #expect(s.finished)
  }
}

@Suite struct InputAssemblerTests {
  @Test func declarationsContinueOverIndentedLines() {
    var a = InputAssembler()
    #expect(a.feed(":state") == [":state"])
    #expect(a.feed("rule x").isEmpty)
    #expect(a.isOpen)
    #expect(a.feed("  on purchase").isEmpty)
    #expect(a.feed("# a comment").isEmpty)
    #expect(a.feed("  earn 1 stars").isEmpty)
    // A line at column 1 closes the declaration and is an input of its own.
    #expect(a.feed("buy latte") == ["rule x\n  on purchase\n# a comment\n  earn 1 stars", "buy latte"])
    #expect(!a.isOpen)
  }

  @Test func anEmptyLineClosesAndEndOfInputFlushes() {
    var a = InputAssembler()
    #expect(a.feed("reward mug costs 5 stars, worth $8").isEmpty)
    #expect(a.feed("") == ["reward mug costs 5 stars, worth $8"])
    #expect(a.feed("points stars").isEmpty)
    #expect(a.feed("  worth $0.01").isEmpty)
    #expect(a.finish() == ["points stars\n  worth $0.01"])
    #expect(a.finish().isEmpty)
    #expect(a.feed("rule y").isEmpty)
    a.cancel()
    #expect(!a.isOpen)
  }

  @Test func onlyDeclarationKeywordsAtColumnOneOpen() {
    #expect(Session.startsDeclaration("rule x"))
    #expect(Session.startsDeclaration("Tiers by spend this year"))
    #expect(!Session.startsDeclaration(" rule x"))
    #expect(!Session.startsDeclaration("rules"))
    #expect(!Session.startsDeclaration("tier"))
    #expect(!Session.startsDeclaration("stars balance"))
  }
}

@Suite struct EventNotationTests {
  @Test func buyLines() throws {
    let parsed = try EventNotation.parse("buy 2 latte @ 4.50 coffee, croissant @ $3.25 pastry, 3 x \"oat latte\", muffin at 2")
    guard case .buy(let lines)? = parsed else {
      Issue.record("not a purchase")
      return
    }
    #expect(lines.map(\.quantity) == [2, 1, 3, 1])
    #expect(lines.map(\.sku) == ["latte", "croissant", "oat latte", "muffin"])
    #expect(lines.map(\.price) == ["4.50", "$3.25", nil, "2"])
    #expect(lines.map(\.category) == ["coffee", "pastry", nil, nil])
    #expect(lines[0].skuSpan == 6..<11)
    #expect(lines[0].priceSpan == 14..<18)
  }

  /// `perk test`'s notation (`1 latte at $4.50 (coffee)`) reads the category in parentheses.
  @Test func aCategoryInParenthesesIsTheCategory() throws {
    guard case .buy(let lines)? = try EventNotation.parse("buy 1 a at $5.00 (snacks), 2 b @ 1 drinks") else {
      Issue.record("not a purchase")
      return
    }
    #expect(lines.map(\.category) == ["snacks", "drinks"])
    #expect(throws: InputProblem.self) { try EventNotation.parse("buy 1 a at $5.00 (snacks") }
  }

  @Test func otherEvents() throws {
    guard case .return(let original, _, let lines)? = try EventNotation.parse("return T3 2 latte") else {
      Issue.record("not a return")
      return
    }
    #expect(original == "T3")
    #expect(lines.map(\.quantity) == [2])
    guard case .redeem(let reward, let span)? = try EventNotation.parse("redeem free drink") else {
      Issue.record("not a redemption")
      return
    }
    #expect(reward == "free drink")
    #expect(span == 7..<17)
    #expect(try EventNotation.parse("signup") == .signup)
    guard case .custom(let words)? = try EventNotation.parse("event review written") else {
      Issue.record("not a custom event")
      return
    }
    #expect(words.map(\.text) == ["review", "written"])
    #expect(try EventNotation.parse("stars balance") == nil)
  }

  @Test func mistakesPointAtTheirColumns() {
    #expect(throws: InputProblem("quantity `0` must be a whole number from 1 to 10,000", span: 4..<5)) {
      try EventNotation.parse("buy 0 latte")
    }
    #expect(throws: InputProblem("quantity `1000000000` must be a whole number from 1 to 10,000", span: 4..<14)) {
      try EventNotation.parse("buy 1000000000 latte")
    }
    #expect(throws: InputProblem("unexpected `extra` after the item", span: 24..<29,
                                 help: "one item is `[QUANTITY] SKU [@ PRICE] [CATEGORY]`; separate items with commas")) {
      try EventNotation.parse("buy latte @ 4.50 coffee extra")
    }
  }
}
