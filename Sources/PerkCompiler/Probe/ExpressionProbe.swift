import PerkRuntime
import PerkSource
import PerkSyntax

/// An expression typed at the `perk repl` prompt (`stars balance`, `spend in last 12 months`),
/// checked against a program and lowered by the compiler's own checker and lowering, so the
/// REPL answers exactly as a rule's `when` would read the same quantities.
package struct ExpressionProbe: Sendable {
  let unit: Unit
  let value: ConditionLowering<ProbeInputs>.Lowered
  let windows: [WindowSpec]
  let pointsNames: [String]
  let tierNames: [String]
  let minorDigits: Int

  /// Checks `text` as one expression against the program formed by `files`.
  ///
  /// The expression is read as a file with id `files.count` and path `path`, so its
  /// diagnostics render with the program's files plus that one. Returns the probe, or nil
  /// with the diagnostics (errors in the program's own files are not repeated).
  package static func compile(_ text: String, program files: [SourceFile], path: String = "<input>")
    -> (probe: ExpressionProbe?, diagnostics: [Diagnostic], input: SourceFile)
  {
    ExpressionScope(program: files).compile(text, path: path)
  }
}

/// The names of a program, checked once, against which any number of expressions are
/// compiled (checking the program again for every expression would dominate).
package struct ExpressionScope: Sendable {
  private let checker: DeclarationChecker
  private let fileCount: Int

  /// Parses and checks the program formed by `files`.
  package init(program files: [SourceFile]) {
    var programDiagnostics = Diagnostics()
    let syntax = files.map { PerkParser.parse($0, diagnostics: &programDiagnostics) }
    var checker = DeclarationChecker()
    checker.check(syntax, diagnostics: &programDiagnostics)
    self.checker = checker
    self.fileCount = files.count
  }

  /// See ``ExpressionProbe/compile(_:program:path:)``.
  package func compile(_ text: String, path: String = "<input>")
    -> (probe: ExpressionProbe?, diagnostics: [Diagnostic], input: SourceFile)
  {
    let input = SourceFile(id: fileCount, path: path, text: text)
    var diagnostics = Diagnostics()
    let expression = PerkParser.parseExpression(input, diagnostics: &diagnostics)
    guard !diagnostics.hasErrors, let typed = checker.expressions.check(expression, diagnostics: &diagnostics),
          !diagnostics.hasErrors
    else {
      return (nil, diagnostics.sorted(), input)
    }
    let digits = checker.program.currency.minorDigits
    var lowering = ConditionLowering<ProbeInputs>(minorDigits: digits)
    let lowered = lowering.lower(typed)
    let probe = ExpressionProbe(
      unit: typed.unit, value: lowered, windows: lowering.tables.windows.map(windowSpec),
      pointsNames: checker.program.pointsCurrencies.map(\.name),
      tierNames: checker.program.tiers?.levels.map(\.name) ?? [], minorDigits: digits)
    return (probe, diagnostics.sorted(), input)
  }
}

extension ExpressionProbe {

  /// The value for one customer's account at `time`, written for people: `$512.40`,
  /// `340 stars`, `true`, `Tuesday`, or `none` when the value is missing (no purchase yet).
  package func evaluate(_ program: Program, customer: Customer, state: AccountState, at time: Instant) -> String {
    let inputs = ProbeInputs(view: program.view(customer: customer, state: state, at: time), windows: windows)
    switch value {
    case .predicate(let p): return p(inputs) ? "true" : "false"
    case .text(let t): return t(inputs).map { "\"\($0)\"" } ?? "none"
    case .numeric(let n):
      guard let v = n(inputs) else { return "none" }
      return format(v, currency: program.currency)
    }
  }

  /// Formats a lowered number (see ``ConditionLowering``'s scales) in the expression's unit.
  private func format(_ v: Int128, currency: Currency) -> String {
    let scale = ConditionLowering<ProbeInputs>.scale
    switch unit {
    case .money:
      var perMinor: Int128 = 1
      for _ in 0..<max(0, 9 - minorDigits) { perMinor *= 10 }
      if v % perMinor == 0, let minor = Int64(exactly: v / perMinor) {
        return Money(minorUnits: minor, currency: currency).description
      }
      return currency.symbol + Self.decimal(v, scale)
    case .points(let id):
      let name = pointsNames.indices.contains(id) ? pointsNames[id] : "points"
      return "\(Self.decimal(v, scale)) \(name)"
    case .percent: return Self.decimal(v * 100, scale) + "%"
    case .count, .number, .unknown: return Self.decimal(v, scale)
    case .duration: return "\(v) day\(v == 1 ? "" : "s")"
    case .date: return Int64(exactly: v).map { LocalDate(dayNumber: $0).description } ?? String(v)
    case .time:
      guard v >= 0, v < 24 * 60 else { return String(v) }
      let (h, m) = (Int(v / 60), Int(v % 60))
      return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    case .weekday: return Self.name(v, in: ExpressionChecker.weekdayNames, first: 1)
    case .month: return Self.name(v, in: ExpressionChecker.monthNames, first: 1)
    case .tier: return Self.name(v, in: tierNames, first: 0)
    case .bool: return v != 0 ? "true" : "false"
    case .string: return String(v)
    }
  }

  /// The name at `v - first`, or the number when it is out of range (never a trap).
  private static func name(_ v: Int128, in names: [String], first: Int) -> String {
    guard let i = Int(exactly: v), names.indices.contains(i - first) else { return String(v) }
    return names[i - first]
  }

  /// An exact decimal `v / scale`: trailing zeros dropped, thousands not grouped.
  static func decimal(_ v: Int128, _ scale: Int128) -> String {
    let negative = v < 0
    let magnitude = negative ? -v : v
    var text = String(magnitude / scale)
    var fraction = magnitude % scale
    if fraction != 0 {
      var digits = ""
      var unit = scale / 10
      while fraction != 0, unit > 0 {
        digits += String(fraction / unit)
        fraction %= unit
        unit /= 10
      }
      text += "." + digits
    }
    return (negative ? "-" : "") + text
  }
}

/// What a probe reads: the account view, with the probe's own windows (which need not be
/// the program's) and an empty basket.
struct ProbeInputs: ConditionInputs {
  let view: AccountView
  let windows: [WindowSpec]

  func basketTotal(filter: Int?) -> Int64 { 0 }
  func basketItems(filter: Int?) -> Int64 { 0 }
  var weekday: Int { view.weekday }
  var dayNumber: Int64 { view.dayNumber }
  var minuteOfDay: Int { view.minuteOfDay }
  var month: Int { view.month }
  var dayOfMonth: Int { view.dayOfMonth }
  var tierIndex: Int? { view.tierIndex }
  var birthdayMonth: Int? { view.birthdayMonth }
  var signupDayNumber: Int64? { view.signupDayNumber }
  var segment: String? { view.segment }
  var store: String? { nil }
  var channel: String? { nil }
  var daysSinceLastPurchase: Int64? { view.daysSinceLastPurchase }
  var daysSinceSignup: Int64? { view.daysSinceSignup }
  var purchasesSoFar: Int64 { view.purchasesSoFar }
  func balance(currency: Int) -> Int64 { view.balance(currency: currency) }
  func stamps(card: Int) -> Int64 { view.stamps(card: card) }
  func spend(window: Int) -> Int64 { windows.indices.contains(window) ? view.sum(windows[window]).spend : 0 }
  func visits(window: Int) -> Int64 { windows.indices.contains(window) ? view.sum(windows[window]).visits : 0 }
  // Retention triggers: the account's dates and streak; without an event nothing is a first purchase.
  func birthdayWithin(days: Int64) -> Bool { view.customer.birthday?.occurs(within: days, of: view.today) ?? false }
  func anniversaryWithin(days: Int64) -> Bool { view.customer.signupDate?.occurs(within: days, of: view.today) ?? false }
  var isReferred: Bool { view.customer.referredBy.map { !$0.isEmpty } ?? false }
  var visitStreakWeeks: Int64 { view.visitStreakWeeks }
}
