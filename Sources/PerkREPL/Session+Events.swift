import Perk
import PerkCompiler
import PerkRuntime
import PerkSource

extension Session {
  /// Evaluates an event in the REPL's notation for the current customer at the clock.
  mutating func run(_ notation: EventNotation, text: String) throws(InputProblem) -> String {
    guard let program else {
      throw InputProblem("no program yet", help: loadedPath == nil && typed.isEmpty
                           ? "`:load FILE` loads one, or type its declarations" : "add a `program` declaration")
    }
    let before = world
    let (name, account, created) = currentAccount()
    let id = "T\(world.nextTransaction)"
    var event: Event
    var shown: String
    var customerName = name
    var bought: [LineItem] = []
    switch notation {
    case .buy(let lines):
      bought = try resolve(lines, line: text, program: program)
      event = Event(kind: .purchase, id: id, time: world.clock, lines: bought)
      shown = "buy " + bought.map(itemText).joined(separator: ", ")
    case .return(let original, let span, let lines):
      guard let purchase = world.purchases[original] else {
        let known = world.purchases.keys.sorted()
        throw InputProblem("unknown purchase `\(original)`", span: span,
                           help: Suggestions.closest(to: original, in: known).map { "did you mean `\($0)`?" }
                             ?? (known.isEmpty ? "no purchase yet" : "purchases: " + known.joined(separator: ", ")))
      }
      guard purchase.customer == name else {
        throw InputProblem("`\(original)` was bought by \(purchase.customer)", span: span, help: "`:use \(purchase.customer)` first")
      }
      var returned: [LineItem] = []
      if lines.isEmpty {
        returned = purchase.remaining
        guard !returned.isEmpty else {
          throw InputProblem("everything `\(original)` bought has come back already", span: span)
        }
      } else {
        for line in lines {
          guard let item = purchase.lines.first(where: { $0.sku == line.sku }) else {
            throw InputProblem("`\(original)` has no `\(line.sku)`", span: line.skuSpan,
                               help: "it has " + purchase.lines.map { "`\($0.sku)`" }.joined(separator: ", "))
          }
          returned.append(LineItem(sku: item.sku, category: item.category, quantity: line.quantity, unitPrice: item.unitPrice))
        }
      }
      event = Event(kind: .return(original: original), id: id, time: world.clock, lines: returned)
      shown = "return \(original)" + (lines.isEmpty ? "" : " " + returned.map { ($0.quantity > 1 ? "\($0.quantity) " : "") + $0.sku }.joined(separator: ", "))
    case .redeem(let reward, let span):
      let names = program.rewards.map(\.name)
      guard names.contains(reward) else {
        throw InputProblem("unknown reward `\(reward)`", span: span,
                           help: Suggestions.closest(to: reward, in: names).map { "did you mean `\($0)`?" }
                             ?? (names.isEmpty ? "the program has no rewards" : "rewards: " + names.joined(separator: ", ")))
      }
      event = Event(kind: .redemption(reward: reward), id: id, time: world.clock)
      shown = "redeem \(reward)"
    case .custom(let words):
      let (eventName, target) = customEventName(words, program: program)
      if let target { customerName = target }
      event = Event(kind: .custom(eventName), id: id, time: world.clock)
      shown = "event \(eventName)" + (target.map { " \($0)" } ?? "")
    case .signup:
      event = Event(kind: .signup, id: id, time: world.clock)
      shown = "signup"
      _ = account
    }
    guard let current = world.accounts[customerName] else { throw InputProblem("unknown customer `\(customerName)`") }
    let outcome: Outcome
    do {
      outcome = try program.evaluate(event, customer: current.customer, state: current.state)
    } catch {
      world = before
      throw InputProblem("the event cannot be evaluated: \(error.message)")
    }
    world.accounts[customerName]?.state = outcome.state
    world.nextTransaction += 1
    if case .purchase = event.kind, outcome.rejection == nil {
      world.purchases[id] = RecordedPurchase(customer: customerName, lines: bought)
      for item in bought { world.skus[item.sku] = (item.category, item.unitPrice) }
    }
    if case .return(let original) = event.kind, outcome.rejection == nil, !outcome.duplicate {
      for line in event.lines { world.purchases[original]?.returned[line.sku, default: 0] += line.quantity }
    }
    world.last = LastOutcome(customer: customerName, input: shown, event: event, outcome: outcome)
    history.append(HistoryEntry(kind: .event(id: id, event: event), customer: customerName, text: shown,
                                summary: summary(of: outcome), outcome: outcome, before: before))
    var out = created ? "(new customer \(style.name(name)))\n" : ""
    if customerName != name { out += "(for \(style.name(customerName)))\n" }
    out += outcomeText(outcome, id: id, customer: customerName)
    out += creditTransfers(outcome)
    if case .custom(let happened) = event.kind, !customEventNames(program).contains(happened) {
      out += "  \(style.warning("note")): no rule reacts to event `\(happened)`\n"
    }
    return out
  }

  /// `2 latte @ $4.50 coffee`.
  func itemText(_ item: LineItem) -> String {
    (item.quantity > 1 ? "\(item.quantity) " : "") + "\(item.sku) @ \(item.unitPrice) \(item.category)"
  }

  /// Lines of `buy`, with prices and categories filled in from SKUs already seen.
  func resolve(_ lines: [EventNotation.Line], line text: String, program: Program) throws(InputProblem) -> [LineItem] {
    var items: [LineItem] = []
    var seen = world.skus
    for line in lines {
      let known = seen[line.sku]
      let price: Money
      if let typed = line.price {
        var amount = typed
        if amount.hasSuffix(program.currency.code) { amount = String(amount.dropLast(program.currency.code.count)) }
        let symbol = program.currency.symbol.trimmingCharacters(in: .whitespaces)
        if !symbol.isEmpty, amount.hasPrefix(symbol) { amount = String(amount.dropFirst(symbol.count)) }
        guard let parsed = Money(parsing: amount, currency: program.currency), parsed.minorUnits >= 0 else {
          throw InputProblem("`\(typed)` is not a price in \(program.currency.code)", span: line.priceSpan,
                             help: "\(program.currency.code) has \(program.currency.minorDigits) decimal places; write `\(Money(minorUnits: 450 * program.currency.minorScale / 100, currency: program.currency).decimalString)`")
        }
        price = parsed
      } else if let known {
        price = known.price
      } else {
        throw InputProblem("`\(line.sku)` needs a price the first time", span: line.skuSpan,
                           help: "write `\(line.sku) @ \(Money(minorUnits: 450 * program.currency.minorScale / 100, currency: program.currency).decimalString) CATEGORY`")
      }
      let category: String
      if let typed = line.category {
        category = typed
      } else if let known {
        category = known.category
      } else {
        let categories = program.filters.filter { $0.field == .category }.flatMap(\.values)
        throw InputProblem("`\(line.sku)` needs a category the first time", span: line.skuSpan,
                           help: "write `\(line.sku) @ \(line.price ?? "PRICE") CATEGORY`"
                             + (categories.isEmpty ? "" : "; the program's categories are " + Set(categories).sorted().joined(separator: ", ")))
      }
      seen[line.sku] = (category, price)
      items.append(LineItem(sku: line.sku, category: category, quantity: line.quantity, unitPrice: price))
    }
    return items
  }

  /// The names of custom events the program's rules react to.
  func customEventNames(_ program: Program) -> Set<String> {
    Set(program.rules.compactMap { rule -> String? in
      if case .custom(let name) = rule.trigger { return name }
      return nil
    })
  }

  /// `event referral bob`: the longest run of words naming an event a rule reacts to; a last
  /// word that names a customer is the customer the event is for.
  func customEventName(_ words: [EventNotation.Token], program: Program) -> (String, String?) {
    let texts = words.map(\.text)
    let whole = texts.joined(separator: " ")
    if !customEventNames(program).contains(whole), let last = texts.last, texts.count > 1, world.accounts[last] != nil {
      return (texts.dropLast().joined(separator: " "), last)
    }
    return (whole, nil)
  }

  // MARK: - Expressions

  /// Evaluates an expression (`stars balance`) for the current customer at the clock.
  mutating func evaluateExpression(_ text: String) throws(InputProblem) -> String {
    guard let program else {
      throw InputProblem("no program yet", span: 0..<text.count,
                         help: "`:load FILE` loads one; `:help` lists the commands")
    }
    let (probe, diagnostics, input) = expressionScope().compile(text)
    guard let probe else {
      var out = render(diagnostics, files: sources + [input])
      if diagnostics.contains(where: { [.unknownQuantity, .expectedExpression, .unexpectedTrailingText].contains($0.code) }) {
        out += "  (not a command, an event or a declaration either: `:help` lists them)\n"
      }
      return failed(out)
    }
    let account = world.current.flatMap { world.accounts[$0] }
      ?? CustomerAccount(customer: Customer(id: "guest"), state: AccountState())
    return probe.evaluate(program, customer: account.customer, state: account.state, at: world.clock) + "\n"
  }
}
