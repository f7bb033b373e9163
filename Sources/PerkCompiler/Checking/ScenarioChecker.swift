import PerkRuntime
import PerkSource
import PerkSyntax

/// Checks `test` declarations against the program they sit beside and builds ``CheckedScenario``s.
///
/// Runs after every other declaration is checked, so rule, currency, card, reward and tier names
/// resolve against the final symbol table. Each test is its own world: its customers and
/// transaction labels are visible only inside it.
struct ScenarioChecker {
  let symbols: SymbolTable
  let program: CheckedProgram
  let expressions: ExpressionChecker

  /// The custom event names some rule reacts to (`on event review written`).
  private var customEvents: [String] {
    program.rules.compactMap { rule in
      if case .custom(let name) = rule.trigger { return name.text }
      return nil
    }
  }

  func check(_ declarations: [Declaration], diagnostics: inout Diagnostics) -> [CheckedScenario] {
    var scenarios: [CheckedScenario] = []
    var names: [String: SourceRange] = [:]
    for case .test(let test) in declarations {
      if let first = names[test.name.value] {
        diagnostics.append(Diagnostic(
          .duplicateDeclaration, "test `\(test.name.value)` is declared twice", at: test.name.range,
          label: "declared again here", labels: [.init("first declared here", at: first)],
          help: "give each test its own name"))
      } else {
        names[test.name.value] = test.name.range
      }
      var scope = Scope()
      let steps = test.steps.flatMap { checkStep($0, scope: &scope, diagnostics: &diagnostics) }
      if !scope.sawExpectation, !test.steps.contains(where: { if case .invalid = $0 { true } else { false } }) {
        diagnostics.append(Diagnostic(
          .testWithoutExpectations, "test `\(test.name.value)` has no `expect` line", at: test.name.range,
          label: "this test can never fail",
          help: "add a line such as `expect alice has 10 stars` after the events"))
      }
      scenarios.append(CheckedScenario(name: test.name.value, nameRange: test.name.range, steps: steps))
    }
    return scenarios
  }

  // MARK: Scope

  /// What a test has declared so far.
  private struct Scope {
    struct Purchase {
      var customer: String
      var range: SourceRange
      /// Units not yet returned, in basket order.
      var remaining: [ScenarioLine]
      var isPurchase: Bool
    }
    var customers: [String: SourceRange] = [:]
    /// Each customer's referrer (`referred by`), who may be credited by the customer's events.
    var referrers: [String: String] = [:]
    var labels: [String: Purchase] = [:]
    /// The checked event behind each label, for `replays`.
    var labelledEvents: [String: ScenarioEvent] = [:]
    var last: (date: LocalDate, second: Int64, range: SourceRange)?
    /// The last event: its customer (nil for `time passes`) and kind.
    var lastEvent: (customer: String?, kind: ScenarioEvent.Kind, range: SourceRange)?
    var sawExpectation = false
    var eventCount = 0
    /// A line above was broken (already reported): errors that may only echo it stay quiet.
    var hadInvalidStep = false
  }

  private func checkStep(_ step: TestDeclaration.Step, scope: inout Scope, diagnostics: inout Diagnostics) -> [ScenarioStep] {
    switch step {
    case .customer(let c): return checkCustomer(c, scope: &scope, diagnostics: &diagnostics).map { [.customer($0)] } ?? []
    case .event(let e):
      guard let event = checkEvent(e, scope: &scope, diagnostics: &diagnostics) else {
        scope.hadInvalidStep = true
        scope.lastEvent = nil
        return []
      }
      return [.event(event)]
    case .expect(let x):
      scope.sawExpectation = true
      return checkExpectation(x, scope: scope, diagnostics: &diagnostics).map { .expect($0) }
    case .invalid:
      scope.hadInvalidStep = true
      scope.lastEvent = nil
      return []
    }
  }

  // MARK: Customers

  private func checkCustomer(_ c: TestCustomerSyntax, scope: inout Scope, diagnostics: inout Diagnostics) -> ScenarioCustomer? {
    if let first = scope.customers[c.name.text] {
      diagnostics.append(Diagnostic(
        .duplicateCustomer, "customer `\(c.name.text)` is declared twice in this test", at: c.name.range,
        label: "declared again here", labels: [.init("first declared here", at: first)],
        help: "declare each customer once, with all of their attributes"))
      return nil
    }
    scope.customers[c.name.text] = c.name.range
    var customer = Customer(id: c.name.text)
    var balances: [String: Int64] = [:]
    var ok = true
    for attribute in c.attributes {
      switch attribute {
      case .birthday(let d): customer.birthday = localDate(d.value)
      case .signedUp(let d): customer.signupDate = localDate(d.value)
      case .referredBy(let name):
        customer.referredBy = name.text
        scope.referrers[c.name.text] = name.text
      case .segment(let name): customer.segment = name.text
      case .attribute(let key, let value): customer.attributes[key.text] = value.value
      case .timezone(let name):
        guard let zone = ProgramTimeZone.named(name.text) else {
          diagnostics.append(Diagnostic(.unknownCustomerTimeZone, "unknown time zone `\(name.text)`", at: name.range,
                                        label: "not an IANA time zone", help: ProgramTimeZone.suggestion(for: name.text)))
          ok = false
          continue
        }
        guard program.calendarInCustomerZones else {
          diagnostics.append(Diagnostic(.customerTimeZoneIgnored, "customer `\(c.name.text)` has a time zone the program ignores",
                                        at: name.range, label: "every calendar question is answered in the program's zone",
                                        help: "add `calendar in customer time zones` to the program, or remove the customer's `timezone`"))
          ok = false
          continue
        }
        customer.timeZone = zone
      case .balance(let amount, let currency):
        if let name = points(currency, diagnostics: &diagnostics) {
          balances[name, default: 0] = amount.value
        } else {
          ok = false
        }
      }
    }
    return ok ? ScenarioCustomer(customer: customer, balances: balances, range: c.range) : nil
  }

  private func localDate(_ d: DateLiteral) -> LocalDate {
    // The lexer only makes date tokens of days that exist.
    LocalDate(year: d.year, month: d.month, day: d.day) ?? LocalDate(dayNumber: 0)
  }

  /// A customer named in an event or expectation must be declared above it.
  private func customer(_ name: Name, scope: Scope, diagnostics: inout Diagnostics) -> String? {
    if scope.customers[name.text] != nil { return name.text }
    let declared = scope.customers.keys.sorted()
    diagnostics.append(Diagnostic(
      .unknownCustomer, "unknown customer `\(name.text)`", at: name.range, label: "not declared in this test",
      help: Suggestions.closest(to: name.text, in: declared).map { "did you mean `\($0)`?" }
        ?? "declare the customer first with a line such as `customer \(name.text)`"))
    return nil
  }

  // MARK: Events

  private func checkEvent(_ e: TestEventSyntax, scope: inout Scope, diagnostics: inout Diagnostics) -> ScenarioEvent? {
    scope.eventCount += 1
    let date = localDate(e.date.value)
    let second = Int64(e.time.map { $0.value.hour * 3600 + $0.value.minute * 60 } ?? 12 * 3600)
    if let last = scope.last, (date, second) < (last.date, last.second) {
      diagnostics.append(Diagnostic(
        .eventOutOfOrder, "event on \(date) comes before the event above it", at: e.time.map { e.date.range.union($0.range) } ?? e.date.range,
        label: "earlier than the line above", labels: [.init("this event is later", at: last.range)],
        help: "write a test's events in the order they happen"))
    } else {
      scope.last = (date, second, e.date.range)
    }
    var who: String?
    if let name = e.customer {
      guard let resolved = customer(name, scope: scope, diagnostics: &diagnostics) else { return nil }
      who = resolved
    }
    let id = e.label?.text ?? "event \(scope.eventCount)"
    var event = ScenarioEvent(kind: .purchase, customer: who, id: id, date: date, secondOfDay: second, lines: [],
                              store: nil, channel: nil, range: e.range)
    var ok = true
    switch e.action.value {
    case .purchase(let lines, let store, let channel):
      for line in lines {
        guard let price = priceMinor(line.price, diagnostics: &diagnostics), positive(line.quantity, diagnostics: &diagnostics) else {
          ok = false
          continue
        }
        event.lines.append(ScenarioLine(sku: line.sku.text, category: line.category?.text ?? line.sku.text,
                                        quantity: line.quantity.value, unitPriceMinor: price))
      }
      event.store = store?.text
      event.channel = channel?.text
    case .return(let lines, let original):
      guard let returned = checkReturn(lines, from: original, customer: who, scope: &scope, diagnostics: &diagnostics) else {
        return nil
      }
      event.kind = .return(original: original.text)
      event.lines = returned
    case .redemption(let reward):
      guard symbols.resolve(.reward, reward, diagnostics: &diagnostics) != nil else { return nil }
      event.kind = .redemption(reward: reward.text)
    case .signup:
      event.kind = .signup
    case .custom(let name):
      event.kind = .custom(name.text)
      let known = customEvents
      if !known.contains(name.text) {
        diagnostics.append(Diagnostic(
          .unhandledTestEvent, "no rule reacts to event `\(name.text)`", at: name.range,
          label: "this event changes nothing",
          help: Suggestions.closest(to: name.text, in: known).map { "did you mean `\($0)`?" }
            ?? "a rule reacts to it with `on event \(name.text)`"))
      }
    case .timePasses:
      event.kind = .timePasses
    case .replay(let label):
      guard let original = scope.labelledEvents[label.text] else {
        if !scope.hadInvalidStep {
          diagnostics.append(Diagnostic(
            .unknownTransactionLabel, "unknown transaction `\(label.text)`", at: label.range,
            label: "no event above has this label",
            help: Suggestions.closest(to: label.text, in: scope.labelledEvents.keys.sorted()).map { "did you mean `\($0)`?" }
              ?? "label the event with `as \(label.text)` at the end of its line"))
        }
        return nil
      }
      guard original.customer == who else {
        diagnostics.append(Diagnostic(
          .unsupportedTestStep, "`\(label.text)` is \(original.customer ?? "nobody")'s event, not \(who ?? "nobody")'s", at: label.range,
          help: "the customer of the original event replays it"))
        return nil
      }
      // The same transaction, sent again: same id, time and lines.
      var replayed = original
      replayed.range = e.range
      scope.lastEvent = (who, replayed.kind, e.range)
      return replayed
    }
    if let label = e.label {
      if let first = scope.labels[label.text] {
        diagnostics.append(Diagnostic(
          .duplicateTransactionLabel, "transaction label `\(label.text)` is used twice in this test", at: label.range,
          label: "used again here", labels: [.init("first used here", at: first.range)],
          help: "give each event its own label"))
        ok = false
      } else if let who {
        var isPurchase = false
        if case .purchase = event.kind { isPurchase = true }
        scope.labels[label.text] = Scope.Purchase(customer: who, range: label.range, remaining: event.lines, isPurchase: isPurchase)
        scope.labelledEvents[label.text] = event
      }
    }
    guard ok else { return nil }
    scope.lastEvent = (who, event.kind, e.range)
    return event
  }

  private func checkReturn(_ lines: [TestReturnLineSyntax], from original: Name, customer: String?, scope: inout Scope,
                           diagnostics: inout Diagnostics) -> [ScenarioLine]? {
    guard var purchase = scope.labels[original.text] else {
      if scope.hadInvalidStep { return nil }
      let labels = scope.labels.keys.sorted()
      diagnostics.append(Diagnostic(
        .unknownTransactionLabel, "unknown transaction `\(original.text)`", at: original.range,
        label: "no purchase above has this label",
        help: Suggestions.closest(to: original.text, in: labels).map { "did you mean `\($0)`?" }
          ?? "label the purchase with `as \(original.text)` at the end of its line"))
      return nil
    }
    guard purchase.isPurchase else {
      diagnostics.append(Diagnostic(.invalidReturn, "`\(original.text)` is not a purchase", at: original.range,
                                    labels: [.init("labelled here", at: purchase.range)],
                                    help: "only items of a purchase can be returned"))
      return nil
    }
    if let customer, customer != purchase.customer {
      diagnostics.append(Diagnostic(
        .invalidReturn, "`\(original.text)` is \(purchase.customer)'s purchase, not \(customer)'s", at: original.range,
        labels: [.init("labelled here", at: purchase.range)], help: "the customer who bought the items returns them"))
      return nil
    }
    var returned: [ScenarioLine] = []
    if lines.isEmpty {
      returned = purchase.remaining.filter { $0.quantity > 0 }
      guard !returned.isEmpty else {
        diagnostics.append(Diagnostic(.invalidReturn, "everything bought in `\(original.text)` was already returned",
                                      at: original.range))
        return nil
      }
      purchase.remaining = purchase.remaining.map { var l = $0; l.quantity = 0; return l }
    } else {
      for line in lines {
        guard positive(line.quantity, diagnostics: &diagnostics) else { return nil }
        var needed = line.quantity.value
        let available = purchase.remaining.filter { $0.sku == line.sku.text }.reduce(Int64(0)) { $0 + $1.quantity }
        guard available >= needed else {
          let message = available == 0 && !purchase.remaining.contains { $0.sku == line.sku.text }
            ? "`\(original.text)` has no `\(line.sku.text)`"
            : "`\(original.text)` has \(available) `\(line.sku.text)` left to return, not \(needed)"
          let skus = purchase.remaining.map(\.sku)
          diagnostics.append(Diagnostic(
            .invalidReturn, message, at: line.range, labels: [.init("purchase labelled here", at: purchase.range)],
            help: Suggestions.closest(to: line.sku.text, in: skus).map { "did you mean `\($0)`?" }
              ?? "return at most the units bought and not yet returned"))
          return nil
        }
        for i in purchase.remaining.indices where needed > 0 && purchase.remaining[i].sku == line.sku.text {
          let take = min(needed, purchase.remaining[i].quantity)
          guard take > 0 else { continue }
          purchase.remaining[i].quantity -= take
          needed -= take
          var unit = purchase.remaining[i]
          unit.quantity = take
          returned.append(unit)
        }
      }
    }
    scope.labels[original.text] = purchase
    return returned
  }

  private func positive(_ count: Located<Int64>, diagnostics: inout Diagnostics) -> Bool {
    guard count.value >= 1 else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "a quantity of \(count.value) is out of range", at: count.range,
                                    help: "a line has at least 1 unit"))
      return false
    }
    return true
  }

  private func priceMinor(_ price: Located<MoneyLiteral>, diagnostics: inout Diagnostics) -> Int64? {
    guard expressions.checkCurrency(price.value, range: price.range, diagnostics: &diagnostics) else { return nil }
    guard let minor = Amounts.minorUnits(price.value.amount, digits: program.currency.minorDigits) else {
      diagnostics.append(Diagnostic(
        .valueOutOfRange, "amount has more decimals than \(program.currency.code) allows", at: price.range,
        help: "\(program.currency.code) has \(program.currency.minorDigits) decimal places"))
      return nil
    }
    return minor
  }

  // MARK: Expectations

  private func checkExpectation(_ x: TestExpectationSyntax, scope: Scope, diagnostics: inout Diagnostics) -> [ScenarioExpectation] {
    var who: String?
    if let name = x.customer {
      guard let resolved = customer(name, scope: scope, diagnostics: &diagnostics) else { return [] }
      who = resolved
    }
    func make(_ claim: ScenarioExpectation.Claim, _ range: SourceRange? = nil) -> ScenarioExpectation {
      ScenarioExpectation(customer: who, claim: claim, range: range ?? x.range, lineRange: x.range)
    }
    var claims: [ScenarioExpectation] = []
    switch x.claim {
    case .earns(let amount, let currency, let rule):
      guard let c = points(currency, diagnostics: &diagnostics) else { return [] }
      var ruleName: String?
      if let rule {
        guard symbols.resolve(.rule, rule, diagnostics: &diagnostics) != nil else { return [] }
        ruleName = rule.text
      }
      claims = [make(.earns(currency: c, amount: amount.value, rule: ruleName))]
    case .freeItem(let count, let sku):
      claims = [make(.freeItem(sku: sku.text, count: count?.value ?? 1))]
    case .voucher(let name, let worth, let validUntil):
      var minor: Int64?
      if let worth {
        guard let m = priceMinor(worth, diagnostics: &diagnostics) else { return [] }
        minor = m
      }
      claims = [make(.voucher(name: name.value, worthMinor: minor, validUntil: validUntil.map { localDate($0.value) }))]
    case .reward(let name):
      guard symbols.resolve(.reward, name, diagnostics: &diagnostics) != nil else { return [] }
      claims = [make(.reward(name.text))]
    case .collects(let count, let card):
      guard let c = stampCard(card, at: x.range, diagnostics: &diagnostics) else { return [] }
      claims = [make(.collects(card: c, count: count.value))]
    case .tierChange(let to):
      guard symbols.resolve(.tier, to, diagnostics: &diagnostics) != nil else { return [] }
      claims = [make(.tierChange(to: to.text))]
    case .nothing:
      claims = [make(.nothing)]
    case .nothingFree:
      claims = [make(.nothingFree)]
    case .noVoucher:
      claims = [make(.noVoucher)]
    case .pays(let amount):
      guard let minor = priceMinor(amount, diagnostics: &diagnostics) else { return [] }
      claims = [make(.pays(minor))]
    case .rejected(let reason):
      claims = [make(.rejected(reason: reason?.value))]
    case .loses(let amount, let currency, let toExpiry):
      guard let c = points(currency, diagnostics: &diagnostics) else { return [] }
      claims = [make(toExpiry ? .expired(currency: c, amount: amount.value) : .earns(currency: c, amount: -amount.value, rule: nil))]
    case .losesStamps(let count, let card):
      guard let c = stampCard(card, at: x.range, diagnostics: &diagnostics) else { return [] }
      claims = [make(.collects(card: c, count: -count.value))]
    case .spends(let amount, let currency, let reward):
      guard let c = points(currency, diagnostics: &diagnostics) else { return [] }
      if let reward, symbols.resolve(.reward, reward, diagnostics: &diagnostics) == nil { return [] }
      claims = [make(.spends(currency: c, amount: amount.value, reward: reward?.text))]
    case .released(let amount, let currency):
      guard let c = points(currency, diagnostics: &diagnostics) else { return [] }
      claims = [make(.released(currency: c, amount: amount.value))]
    case .refunded(let amount):
      guard let minor = priceMinor(amount, diagnostics: &diagnostics) else { return [] }
      claims = [make(.refunded(minor))]
    case .told(let text):
      claims = [make(.told(text.value))]
    case .sent(let text, let channel, let negated):
      if let channel, MessageChannel(rawValue: channel.text.lowercased()) == nil {
        diagnostics.append(Diagnostic(
          .unknownChannel, "unknown channel `\(channel.text)`", at: channel.range, label: "not a channel Perk knows",
          help: Suggestions.closest(to: channel.text.lowercased(), in: MessageChannel.allCases.map(\.rawValue)).map { "did you mean `\($0)`?" }
            ?? "write `via email`, `via sms`, `via push` or `via receipt`"))
        return []
      }
      claims = [make(.sent(text: text?.value, channel: channel?.text.lowercased(), negated: negated))]
    case .short(let amount, let currency):
      guard let c = points(currency, diagnostics: &diagnostics) else { return [] }
      claims = [make(.short(currency: c, amount: amount.value))]
    case .saves(let amount, let rule):
      guard let minor = priceMinor(amount, diagnostics: &diagnostics) else { return [] }
      if let rule, symbols.resolve(.rule, rule, diagnostics: &diagnostics) == nil { return [] }
      claims = [make(.saves(minor, rule: rule?.text))]
    case .rebate(let r):
      guard symbols.resolve(.rebate, r.rebate, diagnostics: &diagnostics) != nil,
            let minor = priceMinor(r.amount, diagnostics: &diagnostics) else { return [] }
      claims = [make(.rebate(phase: r.phase.rawValue, rebate: r.rebate.text, amountMinor: minor))]
    case .state(let items):
      claims = stateClaims(items, who: who, lineRange: x.range, diagnostics: &diagnostics)
    }
    // Claims about the last event need an event above them, by the same customer.
    if claims.contains(where: { $0.claim.isAboutLastEvent }),
       !isAnsweredByLastEvent(x, who: who, scope: scope, diagnostics: &diagnostics) { return [] }
    return claims
  }

  /// The claims of `has …`, one per item; an item that does not resolve is left out.
  private func stateClaims(_ items: [TestStateItemSyntax], who: String?, lineRange: SourceRange,
                           diagnostics: inout Diagnostics) -> [ScenarioExpectation] {
    func make(_ claim: ScenarioExpectation.Claim, _ range: SourceRange) -> ScenarioExpectation {
      ScenarioExpectation(customer: who, claim: claim, range: range, lineRange: lineRange)
    }
    var claims: [ScenarioExpectation] = []
    for item in items {
      switch item {
      case .balance(let amount, let currency):
        if let c = points(currency, diagnostics: &diagnostics) {
          claims.append(make(.balance(currency: c, amount: amount.value), amount.range.union(currency.range)))
        }
      case .stamps(let count, let card, let range):
        if let c = stampCard(card, at: range, diagnostics: &diagnostics) {
          claims.append(make(.stamps(card: c, count: count.value), range))
        }
      case .tier(let name, let range):
        if symbols.resolve(.tier, name, diagnostics: &diagnostics) != nil {
          claims.append(make(.tier(name.text), range))
        }
      case .noTier(let range):
        claims.append(make(.tier(nil), range))
      case .pending(let amount, let currency):
        if let c = points(currency, diagnostics: &diagnostics) {
          claims.append(make(.pending(currency: c, amount: amount.value), amount.range.union(currency.range)))
        }
      case .expiring(let amount, let currency, let date):
        if let c = points(currency, diagnostics: &diagnostics) {
          claims.append(make(.expiring(currency: c, amount: amount.value, date: localDate(date.value)),
                             amount.range.union(date.range)))
        }
      }
    }
    return claims
  }

  /// Whether the event above an expectation about the last event is one it can describe: there
  /// is one, it is the customer's (or their referee's), and `pays` follows a purchase or return.
  private func isAnsweredByLastEvent(_ x: TestExpectationSyntax, who: String?, scope: Scope,
                                     diagnostics: inout Diagnostics) -> Bool {
    guard let last = scope.lastEvent else {
      if scope.hadInvalidStep { return false }
      diagnostics.append(Diagnostic(
        .expectationWithoutEvent, "expectation about an event, with no event above it", at: x.range,
        help: "write an `on DATE …` line before this `expect`"))
      return false
    }
    // The actor's referrer takes part too: a referral's points are credited to them.
    if let who, let actor = last.customer, actor != who, scope.referrers[actor] != who {
      diagnostics.append(Diagnostic(
        .expectationWithoutEvent, "the event above is \(actor)'s, not \(who)'s", at: x.customer?.range ?? x.range,
        labels: [.init("the last event", at: last.range)],
        help: "an expectation about awards describes the last event; expect `\(who) has …` for their state"))
      return false
    }
    if who == nil, last.customer == nil, case .rejected = x.claim {
      // `expect rejected` after `time passes` names nobody; the runner reports it if nothing was rejected.
    }
    if case .pays = x.claim {
      var isPurchase = false
      if case .purchase = last.kind { isPurchase = true }
      if case .return = last.kind { isPurchase = true }
      if !isPurchase {
        diagnostics.append(Diagnostic(
          .unsupportedTestStep, "`pays` needs a purchase or return above it", at: x.range,
          labels: [.init("the last event", at: last.range)]))
        return false
      }
    }
    return true
  }

  private func points(_ name: Name, diagnostics: inout Diagnostics) -> String? {
    symbols.resolve(.points, name, diagnostics: &diagnostics).map { _ in name.text }
  }

  /// A card by name, or the program's only card when none is named.
  private func stampCard(_ name: Name?, at range: SourceRange, diagnostics: inout Diagnostics) -> String? {
    if let name { return symbols.resolve(.stampCard, name, diagnostics: &diagnostics).map { _ in name.text } }
    let cards = symbols.names(.stampCard)
    if cards.count == 1 { return cards[0] }
    if cards.isEmpty {
      diagnostics.append(Diagnostic(.unknownStampCard, "stamps in a program without a stamp card", at: range,
                                    help: "declare a card with `stamps NAME`"))
    } else {
      diagnostics.append(Diagnostic(
        .ambiguousStampCard, "the program has \(cards.count) stamp cards; say which one", at: range,
        help: "name the card, such as `on \(cards[0])`"))
    }
    return nil
  }
}
