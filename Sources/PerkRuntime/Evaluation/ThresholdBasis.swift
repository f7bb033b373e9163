/// `thresholds after discounts`: conditions of rules that change no price are read again on
/// the basket the price promotions left. A price rule's own condition always reads the basket
/// before discounts, since a discount cannot depend on itself.
extension EvaluationRun {
  /// What conditions see now: the basket as its lines stand, the account before the event.
  func conditionContext() -> EvaluationContext {
    EvaluationContext(
      program: program, lines: lines, today: today, date: today.components, minuteOfDay: minuteOfDay,
      weekday: today.weekday, customer: customer, store: event.store, channel: event.channel,
      working: working, tierIndex: heldTier, isPurchase: event.kind == .purchase, frozen: frozenHistory)
  }

  /// The rules of `firing` whose conditions still hold on the discounted basket (price rules kept).
  func rereadConditions(_ firing: [Int]) -> [Int] {
    let context = conditionContext()
    return firing.filter { index in
      let rule = program.rules[index]
      let changesPrice = rule.effects.contains { if case .price = $0 { true } else { false } }
      guard !changesPrice, let condition = rule.condition else { return true }
      return condition(context)
    }
  }
}
