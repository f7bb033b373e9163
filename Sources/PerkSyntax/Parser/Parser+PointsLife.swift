import PerkSource

/// The clauses of a points declaration about a point's life: expiry, spending order, holds, returns.
extension Parser {
  /// ```
  /// expire-clause = "expire" ( DURATION "after" "earning"
  ///                          | "at" "end" "of" "month" DURATION "after" "earning"
  ///                          | "after" DURATION "without" "activity" ) ;
  /// spend-clause  = "spend" ( "oldest" | "closest" "to" "expiry" ) "first" ;
  /// hold-clause   = "hold" hold-length ;
  /// hold-length   = DURATION [ [ "not" ] "counting" "the" "earning" "day" ] ;
  /// return-clause = "on" "return" "take" "back" "points" ","
  ///                 ( "never" "below" "zero" | "allow" "negative" "balance" ) ;
  /// ```
  mutating func parsePointsLifeClause() -> PointsDeclaration.Clause {
    let start = current
    if consume("expire") != nil {
      let expiry = parseExpiry()
      guard let expiry else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the expire clause") ? .expire(Located(expiry, range: clauseRange)) : .invalid(start.range)
    }
    if consume("spend") != nil {
      var order: SpendOrderSyntax?
      if consume("oldest") != nil {
        order = .oldestFirst
      } else if consume("closest") != nil {
        if expect("to", after: "`spend closest`") != nil, expect("expiry", after: "`spend closest to`") != nil {
          order = .closestToExpiryFirst
        }
      } else {
        expected("`oldest` or `closest to expiry`", after: "`spend`")
      }
      guard let order, expect("first", after: "`spend \(order == .oldestFirst ? "oldest" : "closest to expiry")`") != nil else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the spend clause") ? .spend(Located(order, range: clauseRange)) : .invalid(start.range)
    }
    if consume("hold") != nil {
      guard case .duration(let duration) = current.kind else {
        expected("a duration such as `14 days`", after: "`hold`")
        skipLine()
        return .invalid(start.range)
      }
      advance()
      guard let hold = parseHoldCounting(duration) else {
        skipLine()
        return .invalid(start.range)
      }
      let clauseRange = range(from: start)
      return finishLine("the hold clause") ? .hold(Located(hold, range: clauseRange)) : .invalid(start.range)
    }
    // `on return take back points, …`
    advance()
    guard expect("return", after: "`on`") != nil, expect("take", after: "`on return`") != nil,
          expect("back", after: "`on return take`") != nil, expect("points", after: "`on return take back`") != nil,
          expect(.comma, "`,`", after: "`on return take back points`") != nil else {
      skipLine()
      return .invalid(start.range)
    }
    var policy: ClawbackSyntax?
    if consume("never") != nil {
      if expect("below", after: "`never`") != nil, expect("zero", after: "`never below`") != nil { policy = .neverBelowZero }
    } else if consume("allow") != nil {
      if expect("negative", after: "`allow`") != nil, expect("balance", after: "`allow negative`") != nil {
        policy = .allowNegativeBalance
      }
    } else {
      expected("`never below zero` or `allow negative balance`", after: "`on return take back points,`")
    }
    guard let policy else {
      skipLine()
      return .invalid(start.range)
    }
    let clauseRange = range(from: start)
    return finishLine("the return clause") ? .onReturn(Located(policy, range: clauseRange)) : .invalid(start.range)
  }

  mutating func parseExpiry() -> ExpirySyntax? {
    func afterEarning(_ context: String) -> Bool {
      expect("after", after: context) != nil && expect("earning", after: "`after`") != nil
    }
    if case .duration(let duration) = current.kind {
      advance()
      return afterEarning("the duration") ? .after(duration) : nil
    }
    if consume("at") != nil {
      guard expect("end", after: "`expire at`") != nil, expect("of", after: "`expire at end`") != nil,
            expect("month", after: "`expire at end of`") != nil else { return nil }
      guard case .duration(let duration) = current.kind else {
        expected("a duration such as `12 months`", after: "`expire at end of month`")
        return nil
      }
      advance()
      return afterEarning("the duration") ? .endOfMonthAfter(duration) : nil
    }
    if consume("after") != nil {
      guard case .duration(let duration) = current.kind else {
        expected("a duration such as `18 months`", after: "`expire after`")
        return nil
      }
      advance()
      guard expect("without", after: "the duration") != nil, expect("activity", after: "`without`") != nil else { return nil }
      return .withoutActivity(duration)
    }
    expected("a duration, `at end of month` or `after`", after: "`expire`")
    return nil
  }

  /// After a hold's duration: `[ [ "not" ] "counting" "the" "earning" "day" ]`, which day the
  /// hold starts on (counting the earning day when left out). Nil after a located error.
  mutating func parseHoldCounting(_ duration: DurationLiteral) -> HoldDuration? {
    let excludes = consume("not") != nil
    guard excludes || at("counting") else { return HoldDuration(duration: duration) }
    guard expect("counting", after: "`not`") != nil,
          expect("the", after: "`counting`") != nil,
          expect("earning", after: "`counting the`") != nil,
          expect("day", after: "`counting the earning`") != nil else { return nil }
    return HoldDuration(duration: duration, excludesEarningDay: excludes)
  }
}
