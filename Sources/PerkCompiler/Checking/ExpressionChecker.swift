import PerkSource
import PerkSyntax

/// Types expressions: resolves names and quantities, checks units, reports E03xx/E04xx.
///
/// Returns nil for an expression that is broken or already reported; callers then stay
/// quiet, so one mistake gives one error.
struct ExpressionChecker {
  var symbols: SymbolTable
  /// The program currency; nil when it is missing or unknown (money checks are then skipped).
  var currency: CurrencyInfo?
  /// Stamp cards that collect spend: `CARD stamps` of these is money.
  var spendCards: Set<Int> = []
  /// Whether a money literal finer than the currency's minor unit is reported here (E0104); off where
  /// the caller checks the folded amount itself, naming its clause (or allowing it: a point's `worth`).
  var checksMinorUnits = true

  /// The names a bare word may have meant, for did-you-mean on unknown quantities.
  static let quantityNames = [
    "basket total", "basket items", "weekday", "date", "time", "month", "day of month", "tier",
    "birthday month", "signup date", "segment", "store", "channel", "days since last purchase",
    "days since signup", "purchases so far", "first purchase", "referred", "visit streak",
  ]

  static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
  static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December"]

  func check(_ e: Expression, hint: Unit? = nil, diagnostics: inout Diagnostics) -> TypedExpression? {
    switch e.kind {
    case .invalid:
      return nil
    case .parenthesized(let inner):
      guard var typed = check(inner, hint: hint, diagnostics: &diagnostics) else { return nil }
      typed.range = e.range
      return typed
    case .literal(let literal):
      return checkLiteral(literal, range: e.range, diagnostics: &diagnostics)
    case .name(let name):
      return checkName(name, hint: hint, diagnostics: &diagnostics)
    case .quantity(let q):
      return checkQuantity(q, range: e.range, diagnostics: &diagnostics)
    case .unary(.not, let operand):
      guard let x = check(operand, diagnostics: &diagnostics) else { return nil }
      guard requireBool(x, diagnostics: &diagnostics) else { return nil }
      return TypedExpression(.not(x), unit: .bool, range: e.range)
    case .unary(.negate, let operand):
      guard let x = check(operand, hint: hint, diagnostics: &diagnostics) else { return nil }
      guard multiplicationUnit(x.unit, .number) != nil else {
        diagnostics.append(Diagnostic(.mismatchedUnits, "cannot negate \(describe(x.unit, names: symbols))",
                                      at: e.range))
        return nil
      }
      return TypedExpression(.negate(x), unit: x.unit, range: e.range)
    case .binary(let op, let lhs, let rhs):
      guard let typed = checkBinary(op, lhs, rhs, range: e.range, diagnostics: &diagnostics) else { return nil }
      return checkStreakComparison(typed, diagnostics: &diagnostics) ? typed : nil
    case .reaches(let x, let target):
      return checkReaches(x, target, range: e.range, diagnostics: &diagnostics)
    case .between(let x, let low, let high, let negated):
      guard let (tx, others) = checkAgainst(x, [low, high], diagnostics: &diagnostics) else { return nil }
      for o in others where !comparable(tx.unit, o.unit, ordered: true) {
        reportComparison(tx, o, diagnostics: &diagnostics)
        return nil
      }
      return TypedExpression(.between(tx, low: others[0], high: others[1], negated: negated), unit: .bool, range: e.range)
    case .member(let x, let list, let negated):
      guard let (tx, others) = checkAgainst(x, list, diagnostics: &diagnostics) else { return nil }
      for o in others where !comparable(tx.unit, o.unit, ordered: false) {
        reportComparison(tx, o, diagnostics: &diagnostics)
        return nil
      }
      return TypedExpression(.member(tx, of: others, negated: negated), unit: .bool, range: e.range)
    }
  }

  /// Checks `x` and the values it is compared with; bare names take their unit from the other side.
  private func checkAgainst(_ x: Expression, _ others: [Expression], diagnostics: inout Diagnostics)
    -> (TypedExpression, [TypedExpression])?
  {
    var tx: TypedExpression?
    var typedOthers: [TypedExpression?] = []
    if case .name = x.kind, let firstTyped = others.lazy.compactMap({ o -> Expression? in
      if case .name = o.kind { return nil }
      return o
    }).first {
      var quiet = Diagnostics()
      if let hintSource = check(firstTyped, diagnostics: &quiet) {
        tx = check(x, hint: hintSource.unit, diagnostics: &diagnostics)
      } else {
        tx = check(x, diagnostics: &diagnostics)
      }
    } else {
      tx = check(x, diagnostics: &diagnostics)
    }
    var failed = tx == nil
    for o in others {
      let t = check(o, hint: tx?.unit, diagnostics: &diagnostics)
      if t == nil { failed = true }
      typedOthers.append(t)
    }
    guard !failed, let tx else { return nil }
    return (tx, typedOthers.compactMap { $0 })
  }

  private func checkLiteral(_ literal: Literal, range: SourceRange, diagnostics: inout Diagnostics) -> TypedExpression? {
    let value: Constant
    let unit: Unit
    switch literal {
    case .money(let m):
      guard checkCurrency(m, range: range, diagnostics: &diagnostics),
            checkMinorUnits(m, range: range, diagnostics: &diagnostics) else { return nil }
      value = .decimal(m.amount); unit = .money
    case .percent(let d):
      value = .decimal(DecimalLiteral(significand: d.significand, scale: d.scale + 2)); unit = .percent
    case .number(let d): value = .decimal(d); unit = .number
    case .date(let d): value = .date(d); unit = .date
    case .time(let t): value = .time(t); unit = .time
    case .duration(let d): value = .duration(d); unit = .duration
    case .string(let s): value = .string(s); unit = .string
    case .weekday(let w): value = .weekday(w); unit = .weekday
    case .month(let m): value = .month(m); unit = .month
    case .bool(let b): value = .bool(b); unit = .bool
    }
    return TypedExpression(.constant(value), unit: unit, range: range)
  }

  /// E0104 for a money literal finer than the currency's minor unit, such as `$20.005`: one reading of
  /// money for the whole language, since every amount the runtime compares or pays is whole cents.
  private func checkMinorUnits(_ m: MoneyLiteral, range: SourceRange, diagnostics: inout Diagnostics) -> Bool {
    guard checksMinorUnits, let currency else { return true }
    var (significand, scale) = (m.amount.significand, m.amount.scale)
    while scale > currency.minorDigits, significand % 10 == 0 { significand /= 10; scale -= 1 }
    guard scale > currency.minorDigits else { return true }
    diagnostics.append(Diagnostic(
      .malformedMoney, "money amount has more decimals than \(currency.code) allows", at: range,
      label: "\(currency.code) has \(currency.minorDigits) decimal places",
      help: (currency.minorDigits == 0 ? "write a whole amount" : "write at most \(currency.minorDigits) decimals")
        + ", such as `\(Self.example(m, digits: currency.minorDigits))`"))
    return false
  }

  /// The literal cut to the currency's decimals, for the help: `$20.005` → `$20.00`.
  private static func example(_ m: MoneyLiteral, digits: Int) -> String {
    var significand = m.amount.significand
    for _ in digits..<m.amount.scale { significand /= 10 }
    let magnitude = String(significand.magnitude)
    let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
    let number = digits == 0 ? padded : padded.dropLast(digits) + "." + padded.suffix(digits)
    let sign = significand < 0 ? "-" : ""
    switch m.currency {
    case .symbol(let s): return sign + s + number
    case .code(let c): return sign + number + " " + c
    }
  }

  /// E0308 for an unknown currency, E0405 for a currency other than the program's.
  func checkCurrency(_ m: MoneyLiteral, range: SourceRange, diagnostics: inout Diagnostics) -> Bool {
    let found: CurrencyInfo?
    let written: String
    switch m.currency {
    case .symbol(let s):
      written = s
      found = CurrencyInfo.lookup(symbol: s, programCurrency: currency)
    case .code(let c):
      written = c
      found = CurrencyInfo.lookup(code: c)
    }
    guard let found else {
      let help = Suggestions.closest(to: written, in: CurrencyInfo.known.map(\.code)).map { "did you mean `\($0)`?" }
      diagnostics.append(Diagnostic(.unknownCurrency, "unknown currency `\(written)`", at: range, help: help))
      return false
    }
    guard let currency else { return true }
    if found.code != currency.code {
      diagnostics.append(Diagnostic(
        .currencyMismatch, "amount in \(found.code) in a program that uses \(currency.code)", at: range,
        label: "this is \(found.code)",
        help: currency.symbol.map { "write the amount in \(currency.code), such as `\($0)…`" }
          ?? "write the amount in \(currency.code)"))
      return false
    }
    return true
  }

  private func checkName(_ name: Name, hint: Unit?, diagnostics: inout Diagnostics) -> TypedExpression? {
    switch hint {
    case .tier?:
      guard let id = symbols.resolve(.tier, name, diagnostics: &diagnostics) else { return nil }
      return TypedExpression(.constant(.tier(id)), unit: .tier, range: name.range)
    case .string?:
      diagnostics.append(Diagnostic(
        .unknownQuantity, "unknown name `\(name.text)`", at: name.range, label: "expected text here",
        help: "write \"\(name.text)\" in quotes to compare with text"))
      return nil
    case .unknown?:
      return nil
    case .weekday?, .month?:
      // The lexer normally makes these literals; accept a bare name too so both readings agree.
      let isWeekday = hint == .weekday
      let table = isWeekday ? Self.weekdayNames : Self.monthNames
      if let index = table.firstIndex(where: { $0.caseInsensitiveCompare(name.text) }) {
        return TypedExpression(.constant(isWeekday ? .weekday(index + 1) : .month(index + 1)),
                               unit: isWeekday ? .weekday : .month, range: name.range)
      }
      // `Tue`, `Sept`: names are written in full, so an abbreviation gets its full name.
      let help = (Suggestions.expansion(of: name.text, in: table) ?? Suggestions.closest(to: name.text, in: table))
        .map { "did you mean `\($0)`?" }
      diagnostics.append(Diagnostic(.unknownQuantity, "unknown \(isWeekday ? "weekday" : "month") `\(name.text)`",
                                    at: name.range, help: help))
      return nil
    default:
      let help = Suggestions.closest(to: name.text, in: Self.quantityNames).map { "did you mean `\($0)`?" }
      diagnostics.append(Diagnostic(.unknownQuantity, "unknown quantity `\(name.text)`", at: name.range,
                                    label: "not a quantity Perk knows", help: help))
      return nil
    }
  }

  /// E0540: a window covers at least one day: a rolling window at least one day, week, month
  /// or year, a window of calendar periods at least one week, month, quarter or year.
  func checkWindow(_ w: WindowSyntax, at range: SourceRange, diagnostics: inout Diagnostics) {
    if case .last(let duration) = w, duration.count < 1 {
      let unit = duration.unit.rawValue
      diagnostics.append(Diagnostic(
        .invalidCalendarWindow, "a window of \(duration.count) \(unit)s", at: range,
        label: "covers no day at all",
        help: duration.unit == .day ? "a rolling window ends today: `last 1 day` is today alone"
          : "a rolling window ends today: `last 1 \(unit)` is the shortest of \(unit)s, `last 1 day` is today alone"))
      return
    }
    guard case .lastCalendar(let count, let unit) = w else { return }
    if unit == .day {
      diagnostics.append(Diagnostic(
        .invalidCalendarWindow, "`calendar days` in a window", at: range,
        label: "a day is already a calendar period",
        help: "write `last \(count) days`: it counts whole local days, today included"))
    } else if count < 1 {
      diagnostics.append(Diagnostic(
        .invalidCalendarWindow, "a window of \(count) calendar \(unit.rawValue)s", at: range,
        label: "counts no period at all",
        help: "count the current \(unit.rawValue) too: `last 1 calendar \(unit.rawValue)` is this \(unit.rawValue) alone"))
    }
  }

  func checkFilter(_ f: ItemFilter?) -> CheckedFilter? {
    f.map { CheckedFilter(field: $0.field, values: $0.values.map(\.text), negated: $0.negated) }
  }

  private func checkQuantity(_ q: Quantity, range: SourceRange, diagnostics: inout Diagnostics) -> TypedExpression? {
    let checked: CheckedQuantity
    let unit: Unit
    switch q {
    case .basketTotal(let f): checked = .basketTotal(checkFilter(f)); unit = .money
    case .basketItems(let f): checked = .basketItems(checkFilter(f)); unit = .count
    case .weekday: checked = .weekday; unit = .weekday
    case .date: checked = .date; unit = .date
    case .timeOfDay: checked = .timeOfDay; unit = .time
    case .month: checked = .month; unit = .month
    case .dayOfMonth: checked = .dayOfMonth; unit = .count
    case .tier:
      checked = .tier; unit = .tier
    case .birthdayMonth: checked = .birthdayMonth; unit = .month
    case .signupDate: checked = .signupDate; unit = .date
    case .segment: checked = .segment; unit = .string
    case .store: checked = .store; unit = .string
    case .channel: checked = .channel; unit = .string
    case .daysSinceLastPurchase: checked = .daysSinceLastPurchase; unit = .count
    case .daysSinceSignup: checked = .daysSinceSignup; unit = .count
    case .purchasesSoFar: checked = .purchasesSoFar; unit = .count
    case .balance(let name):
      guard let id = symbols.resolve(.points, name, diagnostics: &diagnostics) else { return nil }
      checked = .balance(id); unit = .points(id)
    case .stamps(let name):
      guard let id = symbols.resolve(.stampCard, name, diagnostics: &diagnostics) else { return nil }
      checked = spendCards.contains(id) ? .cardSpend(id) : .stamps(id)
      unit = spendCards.contains(id) ? .money : .count
    case .spend(let w): checked = .spend(w); unit = .money; checkWindow(w, at: range, diagnostics: &diagnostics)
    case .visits(let w): checked = .visits(w); unit = .count; checkWindow(w, at: range, diagnostics: &diagnostics)
    case .birthdayWithin, .anniversaryWithin, .firstPurchase, .referred, .visitStreak:
      guard let trigger = checkTriggerQuantity(q, range: range, diagnostics: &diagnostics) else { return nil }
      (checked, unit) = trigger
    }
    return TypedExpression(.quantity(checked), unit: unit, range: range)
  }

  private func requireBool(_ x: TypedExpression, diagnostics: inout Diagnostics) -> Bool {
    if x.unit == .bool { return true }
    diagnostics.append(Diagnostic(
      .nonBooleanCondition, "expected true or false, found \(describe(x.unit, names: symbols))", at: x.range,
      label: "this is \(describe(x.unit, names: symbols))", help: "compare it with something, such as `>= …`"))
    return false
  }

  func reportComparison(_ a: TypedExpression, _ b: TypedExpression, diagnostics: inout Diagnostics) {
    let (da, db) = (describe(a.unit, names: symbols), describe(b.unit, names: symbols))
    var help: String?
    if a.unit == .money && b.unit == .number || b.unit == .money && a.unit == .number {
      help = "write the number as money, such as `$20`"
    } else if !a.unit.isOrdered || !b.unit.isOrdered, a.unit == b.unit {
      help = "only `is` and `is not` compare \(da)"
    }
    diagnostics.append(Diagnostic(.invalidComparison, "cannot compare \(da) with \(db)", at: a.range.union(b.range),
                                  help: help))
  }

  private func checkBinary(_ op: BinaryOperator, _ lhs: Expression, _ rhs: Expression, range: SourceRange,
                           diagnostics: inout Diagnostics) -> TypedExpression? {
    switch op {
    case .and, .or:
      let l = check(lhs, diagnostics: &diagnostics)
      let r = check(rhs, diagnostics: &diagnostics)
      guard let l, let r else { return nil }
      let okL = requireBool(l, diagnostics: &diagnostics)
      let okR = requireBool(r, diagnostics: &diagnostics)
      guard okL, okR else { return nil }
      return TypedExpression(op == .and ? .and(l, r) : .or(l, r), unit: .bool, range: range)
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
      let (l0, r0): (TypedExpression?, TypedExpression?)
      if case .name = lhs.kind {
        r0 = check(rhs, diagnostics: &diagnostics)
        guard let r0 else { return nil }
        l0 = check(lhs, hint: r0.unit, diagnostics: &diagnostics)
      } else {
        l0 = check(lhs, diagnostics: &diagnostics)
        guard let l0 else {
          // Still check the right side for its own errors, unless it is a name that needs the left.
          if case .name = rhs.kind {} else { _ = check(rhs, diagnostics: &diagnostics) }
          return nil
        }
        r0 = check(rhs, hint: l0.unit, diagnostics: &diagnostics)
      }
      guard let l = l0, let r = r0 else { return nil }
      let ordered = op != .equal && op != .notEqual
      guard comparable(l.unit, r.unit, ordered: ordered) else {
        reportComparison(l, r, diagnostics: &diagnostics)
        return nil
      }
      return TypedExpression(.compare(op, l, r), unit: .bool, range: range)
    case .add, .subtract, .multiply, .divide:
      let l = check(lhs, diagnostics: &diagnostics)
      let r = check(rhs, diagnostics: &diagnostics)
      guard let l, let r else { return nil }
      let (dl, dr) = (describe(l.unit, names: symbols), describe(r.unit, names: symbols))
      let unit: Unit?
      switch op {
      case .add:
        unit = additionUnit(l.unit, r.unit, subtract: false)
        if unit == nil {
          diagnostics.append(Diagnostic(.mismatchedUnits, "cannot add \(dr) to \(dl)", at: range,
                                        labels: [.init(dl, at: l.range), .init(dr, at: r.range)]))
        }
      case .subtract:
        unit = additionUnit(l.unit, r.unit, subtract: true)
        if unit == nil {
          diagnostics.append(Diagnostic(.mismatchedUnits, "cannot subtract \(dr) from \(dl)", at: range,
                                        labels: [.init(dl, at: l.range), .init(dr, at: r.range)]))
        }
      case .multiply:
        unit = multiplicationUnit(l.unit, r.unit)
        if unit == nil {
          diagnostics.append(Diagnostic(.invalidMultiplication, "cannot multiply \(dl) by \(dr)", at: range,
                                        labels: [.init(dl, at: l.range), .init(dr, at: r.range)],
                                        help: "one side must be a plain number or a percentage"))
        }
      default:
        if case .constant(.decimal(let d)) = r.kind, d.isZero {
          diagnostics.append(Diagnostic(.invalidDivision, "division by zero", at: r.range, label: "this is zero"))
          return nil
        }
        if l.unit == r.unit, multiplicationUnit(l.unit, .number) != nil {
          unit = .number
        } else if [.number, .count, .percent].contains(r.unit) {
          unit = multiplicationUnit(l.unit, .number)
        } else {
          unit = nil
        }
        if unit == nil {
          diagnostics.append(Diagnostic(.mismatchedUnits, "cannot divide \(dl) by \(dr)", at: range,
                                        labels: [.init(dl, at: l.range), .init(dr, at: r.range)]))
        }
      }
      guard let unit else { return nil }
      return TypedExpression(.arithmetic(op, l, r), unit: unit, range: range)
    }
  }
}

extension String {
  /// Case-insensitive equality without Foundation.
  fileprivate func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
