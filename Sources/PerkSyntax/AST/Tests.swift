import PerkSource

/// `test the eighth drink is free`: a scenario written beside the program, run by `perk test`.
///
/// Its lines are steps in order: `customer` lines declare who takes part, `on DATE …` lines are
/// events, `expect …` lines compare the last event's awards or a customer's state.
public struct TestDeclaration: Hashable, Sendable {
  /// One line of a test.
  public enum Step: Hashable, Sendable {
    /// `customer alice, birthday 1992-02-29`
    case customer(TestCustomerSyntax)
    /// `on 2026-03-02 alice buys 7 latte at $4.50 (coffee)`
    case event(TestEventSyntax)
    /// `expect alice earns 9 stars`
    case expect(TestExpectationSyntax)
    /// A line the parser could not read (already reported).
    case invalid(SourceRange)
  }
  /// The test's name, from a string or the words after `test`.
  public var name: Located<String>
  /// The lines in source order.
  public var steps: [Step]
  /// The `test` keyword's range.
  public var keywordRange: SourceRange
  /// The header line.
  public var range: SourceRange
  /// Creates a test declaration.
  public init(name: Located<String>, steps: [Step], keywordRange: SourceRange, range: SourceRange) {
    self.name = name
    self.steps = steps
    self.keywordRange = keywordRange
    self.range = range
  }
}

/// `customer alice, birthday 1992-02-29, signed up 2025-01-01, referred by bob, segment student`.
public struct TestCustomerSyntax: Hashable, Sendable {
  /// What is known about the customer before the test starts.
  public enum Attribute: Hashable, Sendable {
    /// `birthday 1992-02-29`
    case birthday(Located<DateLiteral>)
    /// `signed up 2025-01-01`
    case signedUp(Located<DateLiteral>)
    /// `referred by bob`
    case referredBy(Name)
    /// `segment student`
    case segment(Name)
    /// `with 300 stars`: a starting balance.
    case balance(amount: Located<Int64>, currency: Name)
    /// `attribute city "Lyon"`
    case attribute(key: Name, value: Located<String>)
    /// `timezone America/New_York`: the customer's own time zone.
    case timezone(Name)
  }
  /// The customer's name (one word or a string); also their id.
  public var name: Name
  /// The attributes in source order.
  public var attributes: [Attribute]
  /// The whole line.
  public var range: SourceRange
  /// Creates a customer line.
  public init(name: Name, attributes: [Attribute], range: SourceRange) {
    self.name = name
    self.attributes = attributes
    self.range = range
  }
}

/// One basket line of a test purchase: `7 latte at $4.50 (coffee)`.
public struct TestPurchaseLineSyntax: Hashable, Sendable {
  /// How many units.
  public var quantity: Located<Int64>
  /// The SKU.
  public var sku: Name
  /// The price of one unit.
  public var price: Located<MoneyLiteral>
  /// The category in parentheses; without one the category is the SKU.
  public var category: Name?
  /// The whole line item.
  public var range: SourceRange
  /// Creates a purchase line.
  public init(quantity: Located<Int64>, sku: Name, price: Located<MoneyLiteral>, category: Name?, range: SourceRange) {
    self.quantity = quantity
    self.sku = sku
    self.price = price
    self.category = category
    self.range = range
  }
}

/// One returned item of a test return: `1 latte`.
public struct TestReturnLineSyntax: Hashable, Sendable {
  /// How many units come back.
  public var quantity: Located<Int64>
  /// The SKU, as bought in the original purchase.
  public var sku: Name
  /// The whole item.
  public var range: SourceRange
  /// Creates a return line.
  public init(quantity: Located<Int64>, sku: Name, range: SourceRange) {
    self.quantity = quantity
    self.sku = sku
    self.range = range
  }
}

/// What happens in a test event.
public enum TestActionSyntax: Hashable, Sendable {
  /// `buys 7 latte at $4.50 (coffee), 1 croissant at $3.25 (pastry) [at store NAME] [via NAME]`
  case purchase(lines: [TestPurchaseLineSyntax], store: Name?, channel: Name?)
  /// `returns 1 latte from T1`, or `returns T1` (everything not yet returned).
  case `return`(lines: [TestReturnLineSyntax], original: Name)
  /// `redeems free drink`
  case redemption(reward: Name)
  /// `signs up`
  case signup
  /// `triggers referral`: a custom event.
  case custom(Name)
  /// `time passes`: period ends up to the date, for every customer.
  case timePasses
  /// `replays T1`: the event labelled `T1` sent again, same transaction id (a duplicate).
  case replay(Name)
}

/// `on 2026-03-02 09:15 alice buys … as T1`.
public struct TestEventSyntax: Hashable, Sendable {
  /// The local date in the program's time zone.
  public var date: Located<DateLiteral>
  /// The local time of day; noon when absent.
  public var time: Located<TimeLiteral>?
  /// Who acts; nil for `time passes`.
  public var customer: Name?
  /// What happens.
  public var action: Located<TestActionSyntax>
  /// `as T1`: the transaction label later lines refer to (also the transaction id).
  public var label: Name?
  /// The whole line.
  public var range: SourceRange
  /// Creates an event line.
  public init(date: Located<DateLiteral>, time: Located<TimeLiteral>?, customer: Name?, action: Located<TestActionSyntax>,
              label: Name?, range: SourceRange) {
    self.date = date
    self.time = time
    self.customer = customer
    self.action = action
    self.label = label
    self.range = range
  }
}

/// One fact about a customer's account in `expect alice has …`.
public enum TestStateItemSyntax: Hashable, Sendable {
  /// `150 stars`
  case balance(amount: Located<Int64>, currency: Name)
  /// `3 stamps [on coffee card]`
  case stamps(count: Located<Int64>, card: Name?, range: SourceRange)
  /// `120 stars pending`: points held until a return window clears.
  case pending(amount: Located<Int64>, currency: Name)
  /// `120 stars expiring on 2027-07-31`: the next expiry of that currency.
  case expiring(amount: Located<Int64>, currency: Name, date: Located<DateLiteral>)
  /// `tier gold`
  case tier(Name, range: SourceRange)
  /// `no tier`
  case noTier(SourceRange)
}

/// What an `expect` line claims.
public enum TestClaimSyntax: Hashable, Sendable {
  /// `earns 9 stars [from base earn]`; `earns no stars` is 0.
  case earns(amount: Located<Int64>, currency: Name, rule: Name?)
  /// `gets [2] latte free`
  case freeItem(count: Located<Int64>?, sku: Name)
  /// `gets voucher "Birthday drink" [worth $5] [valid until 2026-04-01]`
  case voucher(name: Located<String>, worth: Located<MoneyLiteral>?, validUntil: Located<DateLiteral>?)
  /// `gets reward free drink`
  case reward(Name)
  /// `collects 2 stamps [on coffee card]`
  case collects(count: Located<Int64>, card: Name?)
  /// `moves to tier gold`
  case tierChange(to: Name)
  /// `gets nothing`: no award at all.
  case nothing
  /// `gets nothing free`: no item made free.
  case nothingFree
  /// `gets no voucher`
  case noVoucher
  /// `pays $3.00`: the amount paid after free items.
  case pays(Located<MoneyLiteral>)
  /// `has 0 stamps on drink card, 150 stars, tier gold`
  case state([TestStateItemSyntax])
  /// `is rejected ["needs 150 stars"]`: the event was refused; the reason must contain the text.
  case rejected(reason: Located<String>?)
  /// `loses 9 stars` (points taken back, net of any earned), `loses 120 stars to expiry`.
  case loses(amount: Located<Int64>, currency: Name, toExpiry: Bool)
  /// `loses 1 stamp [on coffee card]`
  case losesStamps(count: Located<Int64>, card: Name?)
  /// `spends 150 stars [on free drink]`: points spent on catalog rewards.
  case spends(amount: Located<Int64>, currency: Name, reward: Name?)
  /// `gets 120 stars released`: held points became spendable.
  case released(amount: Located<Int64>, currency: Name)
  /// `is refunded $4.50`: the money a return gives back.
  case refunded(Located<MoneyLiteral>)
  /// `is told "30 stars to free drink"`: a near miss, expiry or future fact the till shows.
  case told(Located<String>)
  /// `is sent "Time for your oil change" [via sms]`: a message the last event (or period end)
  /// made due; `is sent nothing` (text nil): none; `is not sent "…"` (`negated`): not that one.
  case sent(text: Located<String>?, channel: Name?, negated: Bool = false)
  /// `is short 20 stars`: points a return could not take back (the balance may not go below zero).
  case short(amount: Located<Int64>, currency: Name)
  /// `saves $4.50 [from summer sale]`: money taken off the price by promotions.
  case saves(Located<MoneyLiteral>, rule: Name?)
  /// `accrues €200.00 on annual volume`, `gets statement €240.00 from annual volume`,
  /// `gets rebate €1,750.00 from annual volume`: a volume rebate's figure in the last event.
  case rebate(RebateClaimSyntax)
}

/// `expect alice earns 9 stars from base earn`.
public struct TestExpectationSyntax: Hashable, Sendable {
  /// Whose outcome or state; nil in `expect rejected …` (the last event's customer).
  public var customer: Name?
  /// What is claimed.
  public var claim: TestClaimSyntax
  /// The whole line.
  public var range: SourceRange
  /// Creates an expectation.
  public init(customer: Name?, claim: TestClaimSyntax, range: SourceRange) {
    self.customer = customer
    self.claim = claim
    self.range = range
  }
}
