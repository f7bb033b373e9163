import PerkSource
import PerkSyntax

/// Compile-time evaluation of constant subexpressions, exact on decimals.
enum Folding {
  /// The value of an expression whose inputs are all constants; nil when it reads a quantity.
  static func evaluate(_ e: TypedExpression) -> Constant? {
    switch e.kind {
    case .constant(let c): return c
    case .quantity: return nil
    case .not(let x):
      guard case .bool(let b)? = evaluate(x) else { return nil }
      return .bool(!b)
    case .negate(let x):
      guard case .decimal(let d)? = evaluate(x) else { return nil }
      let (n, o) = Int64(0).subtractingReportingOverflow(d.significand)
      return o ? nil : .decimal(Exact(significand: n, scale: d.scale))
    case .and(let l, let r):
      let (a, b) = (evaluate(l), evaluate(r))
      if a == .bool(false) || b == .bool(false) { return .bool(false) }
      if a == .bool(true), b == .bool(true) { return .bool(true) }
      return nil
    case .or(let l, let r):
      let (a, b) = (evaluate(l), evaluate(r))
      if a == .bool(true) || b == .bool(true) { return .bool(true) }
      if a == .bool(false), b == .bool(false) { return .bool(false) }
      return nil
    case .compare(let op, let l, let r):
      guard let a = evaluate(l), let b = evaluate(r) else { return nil }
      return compare(op, a, b).map(Constant.bool)
    case .between(let x, let low, let high, let negated):
      guard let v = evaluate(x), let lo = evaluate(low), let hi = evaluate(high),
            let a = compare(.greaterEqual, v, lo), let b = compare(.lessEqual, v, hi) else { return nil }
      return .bool((a && b) != negated)
    case .member(let x, let list, let negated):
      guard let v = evaluate(x) else { return nil }
      let values = list.map(evaluate)
      guard values.allSatisfy({ $0 != nil }) else { return nil }
      return .bool(values.contains { $0.flatMap { compare(.equal, v, $0) } == true } != negated)
    case .arithmetic(let op, let l, let r):
      guard case .decimal(let a)? = evaluate(l), case .decimal(let b)? = evaluate(r) else { return nil }
      return arithmetic(op, a, b).map(Constant.decimal)
    }
  }

  static func compare(_ op: BinaryOperator, _ a: Constant, _ b: Constant) -> Bool? {
    if let x = a.orderKey, let y = b.orderKey {
      switch op {
      case .equal: return x == y
      case .notEqual: return x != y
      case .less: return x < y
      case .lessEqual: return x <= y
      case .greater: return x > y
      case .greaterEqual: return x >= y
      default: return nil
      }
    }
    switch op {
    case .equal: return a == b
    case .notEqual: return a != b
    default: return nil
    }
  }

  /// Exact decimal arithmetic; nil on overflow or when a quotient is not a finite decimal.
  static func arithmetic(_ op: BinaryOperator, _ a: Exact, _ b: Exact) -> Exact? {
    func rescale(_ d: Exact, to scale: Int) -> Int64? {
      var s = d.significand
      for _ in 0..<(scale - d.scale) {
        let (m, o) = s.multipliedReportingOverflow(by: 10)
        if o { return nil }
        s = m
      }
      return s
    }
    let scale = max(a.scale, b.scale)
    switch op {
    case .add, .subtract:
      guard let x = rescale(a, to: scale), let y = rescale(b, to: scale) else { return nil }
      let (r, o) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
      return o ? nil : Exact(significand: r, scale: scale)
    case .multiply:
      let (r, o) = a.significand.multipliedReportingOverflow(by: b.significand)
      return o || a.scale + b.scale > 18 ? nil : Exact(significand: r, scale: a.scale + b.scale)
    case .divide:
      guard b.significand != 0 else { return nil }
      // Try increasing scales until the quotient is exact.
      for extra in 0...12 {
        guard let x = rescale(a, to: a.scale + extra) else { return nil }
        if x % b.significand == 0 {
          let scale = a.scale + extra - b.scale
          if scale >= 0 { return Exact(significand: x / b.significand, scale: scale) }
          guard let q = rescale(Exact(significand: x / b.significand, scale: 0), to: -scale) else { return nil }
          return Exact(significand: q, scale: 0)
        }
      }
      return nil
    default:
      return nil
    }
  }
}
