import PerkSource
import PerkSyntax

/// Declaration checks for retention triggers: money cards, points for the referrer, holds,
/// and the warnings about date windows and referrals.
extension DeclarationChecker {
  /// `every $100 spent:` on a card that collects spend (minor units), `every 10 stamps:` otherwise.
  func cardThreshold(_ e: Expression, collectsSpend: Bool, diagnostics: inout Diagnostics) -> Int64? {
    var quiet = Diagnostics()
    let unit = expressions.check(e, diagnostics: &quiet)?.unit
    let isMoney = unit == .money
    if isMoney != collectsSpend, unit != nil {
      diagnostics.append(Diagnostic(
        .cardThresholdUnit,
        collectsSpend ? "`every` needs money on a card that collects spend" : "`every` needs a number of stamps on a card that collects stamps",
        at: e.range, label: collectsSpend ? "expected money" : "expected a number of stamps",
        help: collectsSpend ? "write the amount that fills the card, such as `every $100 spent:`"
          : "write `every 10 stamps:`, or `collect spend` to fill the card with money"))
      return nil
    }
    guard collectsSpend else { return whole(e, clause: "every", minimum: 1, example: "10", diagnostics: &diagnostics) }
    guard let (d, range) = constant(e, unit: .money, clause: "every", needs: "money", example: "$100",
                                    diagnostics: &diagnostics) else { return nil }
    guard let minor = Amounts.minorUnits(d, digits: program.currency.minorDigits), minor > 0 else {
      diagnostics.append(Diagnostic(.valueOutOfRange, "`every` needs an amount above zero", at: range,
                                    label: "must be above zero"))
      return nil
    }
    return minor
  }

  /// `earn 300 points for referrer held 14 days`.
  func checkReferrerEarn(amount: Expression, currencyName: Name, basis: EarnBasisSyntax, recipient: Name,
                         hold: Located<HoldDuration>?, range: SourceRange, diagnostics: inout Diagnostics) -> CheckedEffect? {
    var failed = false
    if recipient.text.lowercased() != "referrer" {
      diagnostics.append(Diagnostic(
        .unknownRecipient, "unknown recipient `\(recipient.text)`", at: recipient.range,
        label: "points go to the customer or to `referrer`",
        help: Suggestions.closest(to: recipient.text.lowercased(), in: ["referrer"]).map { "did you mean `\($0)`?" }
          ?? "write `for referrer`, or leave `for …` out to give the points to the customer"))
      failed = true
    }
    if basis != .flat {
      diagnostics.append(Diagnostic(
        .referrerPointsNotFlat, "points for the referrer must be a flat amount", at: range,
        label: "earned per spend or per item", help: "write a flat amount, such as `earn 300 points for referrer`"))
      failed = true
    }
    let value = whole(amount, clause: "earn", minimum: 0, example: "300", diagnostics: &diagnostics)
    let currency = symbols.resolve(.points, currencyName, diagnostics: &diagnostics)
    var holdDays: Int64 = 0
    if let hold {
      if let days = ExpressionChecker.triggerDays(hold.value.duration), days >= 0, days <= 366 * 1_000 {
        holdDays = days + (hold.value.excludesEarningDay ? 1 : 0)
      } else {
        diagnostics.append(Diagnostic(
          .triggerDurationUnit, "`held` needs days or weeks, found `\(ExpressionChecker.durationText(hold.value.duration))`",
          at: hold.range, label: "not a whole number of days", help: "write the hold in days, such as `14 days`"))
        failed = true
      }
    }
    guard !failed, let value, let currency else { return nil }
    return .earnForReferrer(amount: value, currency: currency, holdDays: holdDays)
  }

  /// E0523, W0110 and W0111 for one rule.
  func checkTriggerRule(_ r: RuleDeclaration, trigger: Located<TriggerSyntax>?, conditions: [TypedExpression],
                        limits: [CheckedLimit], diagnostics: inout Diagnostics) {
    var readsReferred = false
    var readsDateWindow: SourceRange?
    for condition in conditions {
      Self.visitQuantities(condition) { q, range in
        switch q {
        case .referred: readsReferred = true
        case .birthdayWithin, .anniversaryWithin: readsDateWindow = readsDateWindow ?? range
        default: break
        }
      }
    }
    for case .effect(.earnForReferrer(_, _, _, _, let hold, let range)) in r.clauses {
      if let hold, let trigger, trigger.value != .purchase {
        diagnostics.append(Diagnostic(
          .holdWithoutPurchase, "a hold needs a purchase to watch, but rule `\(r.name.text)` is not `on purchase`",
          at: hold.range, label: "no return can end this hold",
          labels: [.init("triggered here", at: trigger.range)],
          help: "remove `held …` to give the points at once, or trigger the rule `on purchase`"))
      }
      if !readsReferred {
        diagnostics.append(Diagnostic(
          .referrerNotRequired, "rule `\(r.name.text)` gives points to the referrer but does not require `referred`",
          at: range, label: "customers without a referrer also fire this rule",
          help: "add `when referred` so the rule fires only for referred customers"))
      }
    }
    if let window = readsDateWindow {
      for case .limit(let limit) in r.clauses where limit.period == .calendar(.year) {
        diagnostics.append(Diagnostic(
          .calendarLimitOnDateWindow, "`at most once per year` can pay twice for one birthday or anniversary",
          at: limit.range, label: "a window that crosses 1 January lies in two calendar years",
          labels: [.init("the window", at: window)],
          help: "write `at most once per birthday` (or `per signup anniversary`)"))
      }
    }
  }

  /// Calls `body` for every quantity an expression reads.
  static func visitQuantities(_ e: TypedExpression, _ body: (CheckedQuantity, SourceRange) -> Void) {
    switch e.kind {
    case .constant: break
    case .quantity(let q): body(q, e.range)
    case .not(let x), .negate(let x): visitQuantities(x, body)
    case .and(let l, let r), .or(let l, let r), .compare(_, let l, let r), .arithmetic(_, let l, let r):
      visitQuantities(l, body)
      visitQuantities(r, body)
    case .between(let x, let lo, let hi, _):
      for part in [x, lo, hi] { visitQuantities(part, body) }
    case .member(let x, let list, _):
      for part in [x] + list { visitQuantities(part, body) }
    }
  }
}
