import PerkSource
import Testing

@testable import PerkSyntax

/// The `test` declaration forms of grammar/perk.ebnf, parsed into the AST of AST/Tests.swift.
private func parseTest(_ body: String, name: String = "t") -> (TestDeclaration?, [String]) {
  let (syntax, diagnostics) = parse("test \(name)\n" + body)
  let messages = diagnostics.map { "\($0.code.rawValue) \($0.message)" }
  for case .test(let test) in syntax.declarations { return (test, messages) }
  return (nil, messages)
}

@Test func testNameIsTheHeaderAsWrittenOrAString() {
  #expect(parseTest("", name: "the 8th   drink is free").0?.name.value == "the 8th drink is free")
  #expect(parseTest("", name: "\"quoted name\"").0?.name.value == "quoted name")
  let (_, missing) = parse("test\n  customer alice\n")
  #expect(missing.map(\.message) == ["`test` needs a name"])
}

@Test func customerLineWithEveryAttribute() throws {
  let (test, messages) = parseTest("""
      customer bob, birthday 1992-02-29, signed up 2025-01-01, referred by carol, segment night owls, with 300 stars, attribute city "Lyon"

    """)
  #expect(messages == [])
  guard case .customer(let c)? = test?.steps.first else {
    Issue.record("expected a customer line")
    return
  }
  #expect(c.name.text == "bob")
  #expect(c.attributes.count == 6)
  guard c.attributes.count == 6 else { return }
  #expect(c.attributes[0] == .birthday(Located(DateLiteral(year: 1992, month: 2, day: 29), range: c.attributes[0].range)))
  if case .referredBy(let name) = c.attributes[2] { #expect(name.text == "carol") } else { Issue.record("referred by") }
  if case .segment(let name) = c.attributes[3] { #expect(name.text == "night owls") } else { Issue.record("segment") }
  if case .balance(let amount, let currency) = c.attributes[4] {
    #expect(amount.value == 300)
    #expect(currency.text == "stars")
  } else { Issue.record("balance") }
  if case .attribute(let key, let value) = c.attributes[5] {
    #expect(key.text == "city")
    #expect(value.value == "Lyon")
  } else { Issue.record("attribute") }
}

@Test func purchaseWithLinesStoreChannelAndLabel() throws {
  let (test, messages) = parseTest("""
      on 2026-03-02 09:15 alice buys 7 × latte at $4.50 (coffee), 2 x oat milk at $0.50, 1 croissant at $3.25 (pastry) at store downtown via app as T1

    """)
  #expect(messages == [])
  guard case .event(let e)? = test?.steps.first, case .purchase(let lines, let store, let channel) = e.action.value else {
    Issue.record("expected a purchase")
    return
  }
  #expect(e.date.value == DateLiteral(year: 2026, month: 3, day: 2))
  #expect(e.time?.value == TimeLiteral(hour: 9, minute: 15))
  #expect(e.customer?.text == "alice")
  #expect(e.label?.text == "T1")
  #expect(store?.text == "downtown")
  #expect(channel?.text == "app")
  #expect(lines.map(\.sku.text) == ["latte", "oat milk", "croissant"])
  #expect(lines.map(\.quantity.value) == [7, 2, 1])
  #expect(lines.map { $0.category?.text } == ["coffee", nil, "pastry"])
  #expect(lines.map(\.price.value.amount) == [DecimalLiteral(significand: 450, scale: 2), DecimalLiteral(significand: 50, scale: 2),
                                               DecimalLiteral(significand: 325, scale: 2)])
}

@Test func otherEvents() throws {
  let (test, messages) = parseTest("""
      on 2026-03-05 alice returns 1 latte, 1 croissant from T1
      on 2026-03-05 alice returns T1
      on 2026-03-06 alice redeems free drink as R1
      on 2026-03-07 alice signs up
      on 2026-03-07 alice triggers review written
      on 2027-01-01 time passes

    """)
  #expect(messages == [])
  let actions = test?.steps.compactMap { step -> TestActionSyntax? in
    if case .event(let e) = step { return e.action.value }
    return nil
  } ?? []
  #expect(actions.count == 6)
  guard actions.count == 6 else { return }
  if case .return(let lines, let original) = actions[0] {
    #expect(lines.map(\.sku.text) == ["latte", "croissant"])
    #expect(original.text == "T1")
  } else { Issue.record("partial return") }
  if case .return(let lines, let original) = actions[1] {
    #expect(lines.isEmpty)
    #expect(original.text == "T1")
  } else { Issue.record("whole return") }
  if case .redemption(let reward) = actions[2] { #expect(reward.text == "free drink") } else { Issue.record("redemption") }
  #expect(actions[3] == .signup)
  if case .custom(let name) = actions[4] { #expect(name.text == "review written") } else { Issue.record("custom") }
  #expect(actions[5] == .timePasses)
}

@Test func everyExpectationForm() throws {
  let (test, messages) = parseTest("""
      expect alice earns 9 stars from base earn
      expect alice earns no stars
      expect alice gets 2 latte free
      expect alice gets latte free
      expect alice gets nothing free
      expect alice gets nothing
      expect alice gets voucher "Birthday drink" worth $5
      expect alice gets no voucher
      expect alice gets reward free drink
      expect alice collects 1 stamp on coffee card
      expect alice moves to tier gold
      expect alice pays $3.00
      expect alice has 0 stamps on drink card, 150 stars, tier gold, no tier
      expect alice is rejected "needs 150 stars"
      expect rejected

    """)
  #expect(messages == [])
  let claims = test?.steps.compactMap { step -> TestClaimSyntax? in
    if case .expect(let x) = step { return x.claim }
    return nil
  } ?? []
  #expect(claims.count == 15)
  guard claims.count == 15 else { return }
  if case .earns(let amount, let currency, let rule) = claims[0] {
    #expect(amount.value == 9)
    #expect(currency.text == "stars")
    #expect(rule?.text == "base earn")
  } else { Issue.record("earns") }
  if case .earns(let amount, _, let rule) = claims[1] {
    #expect(amount.value == 0)
    #expect(rule == nil)
  } else { Issue.record("earns no") }
  if case .freeItem(let count, let sku) = claims[2] {
    #expect(count?.value == 2)
    #expect(sku.text == "latte")
  } else { Issue.record("free item") }
  if case .freeItem(let count, _) = claims[3] { #expect(count == nil) } else { Issue.record("free item without count") }
  #expect(claims[4] == .nothingFree)
  #expect(claims[5] == .nothing)
  if case .voucher(let name, let worth, _) = claims[6] {
    #expect(name.value == "Birthday drink")
    #expect(worth?.value.amount == DecimalLiteral(significand: 5, scale: 0))
  } else { Issue.record("voucher") }
  #expect(claims[7] == .noVoucher)
  if case .reward(let name) = claims[8] { #expect(name.text == "free drink") } else { Issue.record("reward") }
  if case .collects(let count, let card) = claims[9] {
    #expect(count.value == 1)
    #expect(card?.text == "coffee card")
  } else { Issue.record("collects") }
  if case .tierChange(let to) = claims[10] { #expect(to.text == "gold") } else { Issue.record("tier change") }
  if case .pays(let amount) = claims[11] { #expect(amount.value.amount == DecimalLiteral(significand: 300, scale: 2)) } else { Issue.record("pays") }
  if case .state(let items) = claims[12] {
    #expect(items.count == 4)
    if case .stamps(let count, let card, _)? = items.first {
      #expect(count.value == 0)
      #expect(card?.text == "drink card")
    } else { Issue.record("stamps item") }
    if items.count == 4, case .balance(let amount, let currency) = items[1] {
      #expect(amount.value == 150)
      #expect(currency.text == "stars")
    } else { Issue.record("balance item") }
    if items.count == 4, case .tier(let name, _) = items[2] { #expect(name.text == "gold") } else { Issue.record("tier item") }
    if items.count == 4, case .noTier = items[3] {} else { Issue.record("no tier item") }
  } else { Issue.record("state") }
  if case .rejected(let reason) = claims[13] { #expect(reason?.value == "needs 150 stars") } else { Issue.record("is rejected") }
  if case .rejected(let reason) = claims[14] { #expect(reason == nil) } else { Issue.record("rejected") }
}

@Test func syntaxErrorsInTestsOneErrorPerLine() {
  let (test, messages) = parseTest("""
      customer alice
      expcet alice has 1 stamp
      on 2026-03-02 alice buy 1 latte at $4.50
      on 2026-03-02 alice buys latte at $4.50
      on 2026-03-02 alice buys 1 latte for $4.50
      expect alice earns 9
      expect alice has 1 stamp and more
      customer bob, birthdy 1990-01-01
      expect bob has 0 stars

    """)
  #expect(messages == [
    "E0218 unknown line `expcet` in a test",
    "E0219 unknown word `buy` in an event",
    "E0201 expected a quantity such as `2` after `buys`, found `latte`",
    "E0201 expected `at` after the item, found `$4.50`",
    "E0201 expected a points currency such as `stars` after the amount, found end of line",
    "E0209 unexpected `and` after the test line",
    "E0219 unknown word `birthdy` in a customer line",
  ])
  // Broken lines become `.invalid`; a customer line keeps its customer.
  let kinds = test?.steps.map { step -> String in
    switch step {
    case .customer: return "customer"
    case .event: return "event"
    case .expect: return "expect"
    case .invalid: return "invalid"
    }
  }
  #expect(kinds == ["customer", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid", "customer", "expect"])
}

extension TestCustomerSyntax.Attribute {
  fileprivate var range: SourceRange {
    switch self {
    case .birthday(let d), .signedUp(let d): return d.range
    case .referredBy(let n), .segment(let n), .timezone(let n): return n.range
    case .balance(let a, _): return a.range
    case .attribute(let k, _): return k.range
    }
  }
}

@Test func pointsLifeExpectationForms() {
  let (test, messages) = parseTest("""
      expect alice loses 9 stars
      expect alice loses 120 stars to expiry
      expect alice loses 1 stamp on coffee card
      expect alice spends 150 stars on free drink
      expect alice gets 45 stars released
      expect alice is refunded $4.50
      expect alice is told "30 stars to free drink"
      expect alice has 45 stars pending, 120 club points expiring on 2027-04-01

    """)
  #expect(messages == [])
  let claims = test?.steps.compactMap { step -> TestClaimSyntax? in
    if case .expect(let x) = step { return x.claim }
    return nil
  } ?? []
  guard claims.count == 8 else {
    Issue.record("expected 8 claims, got \(claims)")
    return
  }
  if case .loses(let n, let c, let toExpiry) = claims[0] { #expect((n.value, c.text, toExpiry) == (9, "stars", false)) } else { Issue.record("loses") }
  if case .loses(let n, _, let toExpiry) = claims[1] { #expect((n.value, toExpiry) == (120, true)) } else { Issue.record("to expiry") }
  if case .losesStamps(let n, let card) = claims[2] { #expect((n.value, card?.text) == (1, "coffee card")) } else { Issue.record("stamps") }
  if case .spends(let n, let c, let r) = claims[3] { #expect((n.value, c.text, r?.text) == (150, "stars", "free drink")) } else { Issue.record("spends") }
  if case .released(let n, let c) = claims[4] { #expect((n.value, c.text) == (45, "stars")) } else { Issue.record("released") }
  if case .refunded(let m) = claims[5] { #expect(m.value.amount == DecimalLiteral(significand: 450, scale: 2)) } else { Issue.record("refunded") }
  if case .told(let text) = claims[6] { #expect(text.value == "30 stars to free drink") } else { Issue.record("told") }
  if case .state(let items) = claims[7], items.count == 2 {
    if case .pending(let n, let c) = items[0] { #expect((n.value, c.text) == (45, "stars")) } else { Issue.record("pending") }
    if case .expiring(let n, let c, let d) = items[1] {
      #expect((n.value, c.text) == (120, "club points"))
      #expect(d.value == DateLiteral(year: 2027, month: 4, day: 1))
    } else { Issue.record("expiring") }
  } else { Issue.record("state") }
}

@Test func savesForm() {
  let (test, messages) = parseTest("  expect wes saves $6.00 from welcome back\n  expect wes saves €1\n")
  #expect(messages == [])
  guard case .expect(let x)? = test?.steps.first, case .saves(let amount, let rule) = x.claim else {
    Issue.record("expected saves")
    return
  }
  #expect(amount.value.amount == DecimalLiteral(significand: 600, scale: 2))
  #expect(rule?.text == "welcome back")
}

@Test func voucherValidUntil() {
  let (test, messages) = parseTest("  expect bob gets voucher \"Birthday drink\" worth $5 valid until 2026-04-14\n")
  #expect(messages == [])
  guard case .expect(let x)? = test?.steps.first, case .voucher(_, _, let until) = x.claim else {
    Issue.record("expected a voucher")
    return
  }
  #expect(until?.value == DateLiteral(year: 2026, month: 4, day: 14))
}

@Test func shortForm() {
  let (test, messages) = parseTest("  expect alice is short 40 club points\n")
  #expect(messages == [])
  guard case .expect(let x)? = test?.steps.first, case .short(let amount, let currency) = x.claim else {
    Issue.record("expected is short")
    return
  }
  #expect(amount.value == 40)
  #expect(currency.text == "club points")
}
