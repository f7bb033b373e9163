/// Referrals with a hold: points a referred customer's purchase earns for the referrer.
///
/// The referrer's points belong to another account, so the referred account holds them
/// (``TriggerState/heldTransfers``) until the purchase has been kept through the hold. Like
/// points `hold`, `held 14 days` covers the purchase day and the 13 days after it: a return
/// of that purchase on one of those days cancels them; at the start of day 14 after the
/// purchase day they are released into ``Outcome/transfers`` by a period end (``Program/advance(to:customer:state:)``,
/// which every event runs first), and the caller credits them to the referrer with
/// ``Program/credit(_:customer:state:)``. `held 14 days not counting the earning day` reaches
/// here as a 15-day hold (lowering adds the earning day), so it is released a day later.

/// Transfers one event released, held and cancelled.
struct TransferChanges {
  var released: [PointsTransfer] = []
  var held: [PointsTransfer] = []
  var cancelled: [PointsTransfer] = []
}

extension TriggerState {
  /// Removes and returns the held transfers due on or before `day`, oldest first.
  package mutating func releaseTransfers(dueBy day: LocalDate) -> [PointsTransfer] {
    // Called for every day an account is brought forward: nothing held is the common case.
    guard heldTransfers.contains(where: { $0.releaseOn <= day }) else { return [] }
    let due = heldTransfers.filter { $0.releaseOn <= day }
    heldTransfers.removeAll { $0.releaseOn <= day }
    return due
  }

  /// Removes and returns the transfers held for `transaction` (its purchase was returned).
  package mutating func cancelTransfers(of transaction: String) -> [PointsTransfer] {
    let cancelled = heldTransfers.filter { $0.sourceTransaction == transaction }
    heldTransfers.removeAll { $0.sourceTransaction == transaction }
    return cancelled
  }
}

extension EvaluationRun {
  /// Releases the transfers whose hold has passed by the event's day (before anything else,
  /// so a return after the hold no longer cancels).
  mutating func releaseHeldTransfers() {
    let released = working.triggers.releaseTransfers(dueBy: today)
    if !released.isEmpty { transfers.released += released }
  }

  /// A return of a purchase within its hold cancels the referrer's held points. Any return
  /// counts, whole or partial. The referred customer's own points are reversed by the return
  /// like every other award of that purchase.
  mutating func cancelHeldTransfers(original: String) {
    transfers.cancelled += working.triggers.cancelTransfers(of: original)
  }

  /// `earn N C for referrer [held D]`: holds (or, without a hold, releases at once) a transfer
  /// to the customer's referrer. Returns false for a customer without a referrer.
  mutating func holdForReferrer(rule: RuleSpec, amount: Int64, currency: Int, holdDays: Int64) -> Bool {
    guard let referrer = customer.referredBy, !referrer.isEmpty, amount > 0 else { return false }
    let spec = program.points[currency]
    let value = RoundingMode.halfEven.divide(Int128(amount) * Int128(spec.worthMinor.significand),
                                             by: spec.worthMinor.denominator) ?? 0
    let kept = holdDays > 0 ? " kept \(holdDays) day\(holdDays == 1 ? "" : "s") without a return" : ""
    let transfer = PointsTransfer(
      customer: referrer, from: customer.id, currency: spec.name, amount: amount, value: money(value), rule: rule.name,
      reason: "referral of \(customer.id): \(event.kind == .purchase ? "purchase" : "event") \(event.id)\(kept)",
      sourceTransaction: event.id, releaseOn: today.adding(days: holdDays))
    if holdDays > 0 {
      working.triggers.heldTransfers.append(transfer)
      transfers.held.append(transfer)
    } else {
      transfers.released.append(transfer)
    }
    return true
  }
}

extension Program {
  /// Credits a released transfer to the account that receives it (the referrer's).
  ///
  /// The credit is recorded under ``PointsTransfer/creditID`` like a transaction id, so
  /// crediting the same transfer twice pays once (the second outcome is a duplicate).
  /// - Throws: ``EvaluationError`` when the currency is not one of this program's, the
  ///   transfer is for another customer, or the balance would overflow.
  public func credit(_ transfer: PointsTransfer, customer: Customer, state: AccountState) throws(EvaluationError) -> Outcome {
    var account = self.account(state)
    var outcome = try credit(transfer, customer: customer, account: &account)
    outcome.state = outcome.duplicate ? state : stateCarryingWorkingForm(of: account)
    return outcome
  }

  /// Like ``credit(_:customer:state:)`` on an ``Account``, which it updates. The returned
  /// outcome's own ``Outcome/state`` is empty: the new state is the account's.
  /// - Throws: as ``credit(_:customer:state:)``, and when the account was made by another
  ///   program; the account is then left as it was.
  public func credit(_ transfer: PointsTransfer, customer: Customer, account: inout Account) throws(EvaluationError) -> Outcome {
    try credit(transfer, customer: customer, account: &account, restoresOnError: true)
  }

  /// The credit itself; `restoresOnError` as in
  /// ``evaluate(_:customer:account:budgets:options:restoresOnError:)``.
  package func credit(_ transfer: PointsTransfer, customer: Customer, account: inout Account,
                      restoresOnError: Bool) throws(EvaluationError) -> Outcome {
    try account.check(owner: self)
    guard transfer.customer == customer.id else {
      throw EvaluationError("transfer for `\(transfer.customer)` credited to `\(customer.id)`")
    }
    guard let index = points.firstIndex(where: { $0.name == transfer.currency }) else {
      throw EvaluationError("transfer in `\(transfer.currency)`, which this program does not have")
    }
    let id = transfer.creditID
    if account.hasSeen(id) {
      return Outcome(eventID: id, awards: [], state: AccountState(), duplicate: true, balances: balancesByName(account.working.balances),
                     amountPaid: .zero(currency), tierBefore: account.working.tier, tierAfter: account.working.tier)
    }
    // The credit happens on the release day: the receiving account is brought up to that day
    // first, and the points become a lot earned that day (expiring by the currency's rules, not
    // held again: the hold has already passed in the giving account).
    let event = Event(kind: .custom("transfer"), id: id, time: timeZone(for: customer).instant(of: transfer.releaseOn, secondOfDay: 0))
    let tierBefore = account.working.tier
    let kept: WorkingState? = restoresOnError ? account.working : nil
    var run = EvaluationRun(program: self, event: event, customer: customer, working: account.takeWorking())
    do throws(EvaluationError) {
      try run.advance()
      run.heldTier = run.effectiveTier(qualified: run.qualifiedTier())
      let before = run.working.balances[index]
      let (balance, overflow) = before.addingReportingOverflow(transfer.amount)
      guard !overflow else { throw EvaluationError("the \(transfer.currency) balance overflows") }
      run.working.balances[index] = balance
      let spec = points[index]
      var lot = PointsLot(currency: spec.name, amount: transfer.amount, earned: run.today,
                          expiresOn: spec.expiresOn(earned: run.today), source: id)
      // A negative balance (allowed clawback) is a debt the credited points pay first.
      if before < 0 { lot.amount = max(0, min(transfer.amount, balance)) }
      if lot.amount > 0, keepsLots[index] { run.working.lots.append(lot) }
    } catch {
      account.working = kept ?? run.takeWorking()
      account.recentIDs = nil
      throw error
    }
    let location = rules.first { $0.name == transfer.rule }?.location
    run.awards.append(Award(kind: .points(currency: transfer.currency, amount: transfer.amount, value: transfer.value),
                            source: transfer.rule, location: location,
                            explanation: "\(transfer.amount) \(transfer.currency) for the \(transfer.reason)"))
    run.finishTransaction()
    let outcome = run.summary(tierBefore: tierBefore, base: account.base)
    account.working = run.takeWorking()
    account.recentIDs = nil
    return outcome
  }

  /// Releases the transfers held in `state` whose hold has passed by `day` (for period ends).
  package func releaseTransfers(dueBy day: LocalDate, state: inout AccountState) -> [PointsTransfer] {
    state.triggers.releaseTransfers(dueBy: day)
  }
}
