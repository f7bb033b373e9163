/// A customer's account kept in the form one program evaluates, for a caller that evaluates
/// many events in a row: a batch job, the simulator.
///
/// ``AccountState`` keeps balances, stamps and limits under their names, so that a stored state
/// survives edits to the program; every evaluation of an `AccountState` resolves those names to
/// the program's indexes and writes them back. An `Account` stays resolved between events, and
/// its arrays (the ledger, points lots, purchases kept for returns) grow in place.
///
/// Make one with ``Program/account(_:)``, evaluate with
/// ``Program/evaluate(_:customer:account:budgets:options:)``, and turn it back into a state to
/// store with ``Program/state(of:)``. An account belongs to the program that made it.
public struct Account: Sendable {
  var working: WorkingState
  /// The state the account was made from (see ``AccountBase``). Variable only for
  /// ``resetForNewCustomer()``.
  private(set) var base: AccountBase
  /// The program that made the account.
  let owner: Program
  /// The recent transaction ids as a set, built on first use and kept in step with
  /// `working.recentTransactions`: a customer with hundreds of purchases would otherwise have
  /// every id compared on every event. Nil when it must be rebuilt.
  var recentIDs: Set<String>?
  /// False for an account made for one evaluation (the in-place form on an ``AccountState``):
  /// building the set would cost more than the one look-up it serves. The simulator's budget
  /// mode, which evaluates on copies, sets it false too: a set would be copied on every event.
  package var indexesRecentIDs = true
  /// Arrays an evaluation lends and hands back (see ``EvaluationBuffers``).
  var buffers = EvaluationBuffers()

  /// The awards of the account's last planned purchase
  /// (``Program/purchasePlanned(_:customer:account:options:restoresOnError:)``), valid until
  /// its next evaluation.
  package var plannedAwards: PlannedAwards { buffers.plannedAwards }
}

extension Program {
  /// An account in this program's form, holding `state`.
  public func account(_ state: AccountState) -> Account {
    Account(state, program: self)
  }

  /// A new, empty account in this program's form: what `account(AccountState())` makes,
  /// without looking each currency, card, level and rule up by name in an empty state (the
  /// simulator makes one per customer, and most customers of a real history have a handful of
  /// events).
  public func account() -> Account {
    Account(working: WorkingState(newIn: self), program: self)
  }

  /// The account as a state to store: balances, stamps and limits under their names.
  public func state(of account: Account) -> AccountState {
    account.working.accountState(base: account.base, program: self)
  }

  /// The account as a state that carries its working values (``WorkingFormCache``), for the
  /// state forms, which throw the account away: evaluating the state again with this program
  /// takes them back instead of resolving every name. (Not what ``state(of:)`` does: an account
  /// evaluated further would copy each array it shares with the cache.)
  func stateCarryingWorkingForm(of account: Account) -> AccountState {
    var state = state(of: account)
    state.workingForm = WorkingFormCache(account.working, program: self)
    return state
  }

  /// A balance of the account, by currency name (0 for a currency the program does not have).
  public func balance(_ currency: String, of account: Account) -> Int64 {
    guard let index = points.firstIndex(where: { $0.name == currency }) else { return 0 }
    return account.working.balances[index]
  }

  /// Evaluates one event and updates `account`.
  ///
  /// The one implementation of evaluation: ``evaluate(_:customer:state:budgets:options:)`` runs
  /// it on an account made for the event. The returned outcome's own ``Outcome/state`` is empty:
  /// the new state is the account's. All or nothing: a duplicate, a refused event (a redemption
  /// the balance cannot pay, a return of more than was bought) and an event that throws leave
  /// the account exactly as it was.
  /// - Throws: ``EvaluationError`` when an amount overflows, the basket is invalid or the account
  ///   was made by another program.
  public func evaluate(_ event: Event, customer: Customer, account: inout Account, budgets: inout BudgetLedger,
                       options: EvaluationOptions) throws(EvaluationError) -> Outcome {
    try evaluate(event, customer: customer, account: &account, budgets: &budgets, options: options, restoresOnError: true)
  }

  /// The evaluation itself. `restoresOnError: false` is for a caller that rebuilds an account
  /// which threw (the simulator replays its accepted events): it spares the copy of the account
  /// that restoring needs, which would make every array the event grows copy itself once.
  /// Refused events restore the account either way. `withState` puts the account's new state in
  /// the outcome (the state forms' answer), made once and read for the till facts too.
  package func evaluate(_ event: Event, customer: Customer, account: inout Account, budgets: inout BudgetLedger,
                        options: EvaluationOptions, restoresOnError: Bool, withState: Bool = false) throws(EvaluationError) -> Outcome {
    // Most purchases of a bulk caller run as the program's plan (PurchasePlan.swift), or the
    // plan declines, having changed nothing. The awards buffer is handed back in each case; an
    // error leaves it to be allocated again, as after any error.
    if !withState, purchasePlan != nil {
      var awards: [Award] = []
      swap(&awards, &account.buffers.awards)
      awards.removeAll(keepingCapacity: true)
      let result = try purchasePlanned(event, customer: customer, account: &account, options: options,
                                       restoresOnError: restoresOnError, awards: &awards)
      account.buffers.awards = awards
      switch consume result {
      case .notPlanned: break
      case .duplicate: return duplicateOutcome(event, account: account)
      case .purchased(let purchase): return plannedOutcome(event, purchase, awards: awards, account: account)
      }
    }
    try account.check(owner: self)
    if !account.admit(event.id) { return duplicateOutcome(event, account: account) }
    // A duplicate is reported before its basket is looked at.
    if case .purchase = event.kind {
      do {
        try EvaluationRun.validateBasket(event, currency: currency)
      } catch {
        account.recentIDs = nil  // admitted, but refused
        throw error
      }
    }
    // Redemptions and returns may be refused after period ends already ran: they always keep
    // the account as it was to put back.
    let refusable = switch event.kind {
    case .redemption, .return: true
    case .purchase, .signup, .custom: false
    }
    // Only the working values are kept to put back (the id set is rebuilt, the buffers are
    // scratch): keeping the whole account would make the set copy itself when the id is filed.
    let kept: WorkingState? = refusable || restoresOnError ? account.working : nil
    let tierBefore = account.working.tier
    let oldest = account.working.recentTransactions.first
    var run = EvaluationRun(program: self, event: event, customer: customer, working: account.takeWorking(),
                            buffers: account.takeBuffers())
    run.options = options
    run.promotions.budgets = budgets
    do {
      try run.advance()
      try run.evaluate()
    } catch {
      account.working = kept ?? run.takeWorking()
      // The buffers hold the rule tally of the events before this one (``RuleTally``).
      account.buffers = run.takeBuffers()
      account.recentIDs = nil
      throw error
    }
    if let rejection = run.rejection, let kept {
      account.working = kept
      account.buffers = run.takeBuffers()
      account.recentIDs = nil
      var outcome = rejected(event, rejection, customer: customer, state: state(of: account), options: options)
      outcome.state = AccountState()  // the new state is the account's
      return outcome
    }
    budgets = run.promotions.budgets
    var outcome: Outcome
    if withState {
      var state = run.working.accountState(base: account.base, program: self)
      outcome = run.summary(tierBefore: tierBefore, balances: balancesByName(run.working.balances), tierAfter: run.working.tier,
                            state: state)
      // The caller's account is thrown away: the state carries its working values instead.
      state.workingForm = WorkingFormCache(run.working, program: self)
      outcome.state = state
    } else {
      outcome = run.summary(tierBefore: tierBefore, base: account.base)
    }
    account.buffers = run.takeBuffers()
    account.working = run.takeWorking()
    account.remember(event.id, oldest: oldest)
    return outcome
  }

  /// The outcome of an event whose transaction id the account has seen: nothing changes.
  func duplicateOutcome(_ event: Event, account: Account) -> Outcome {
    Outcome(eventID: event.id, awards: [], state: AccountState(), duplicate: true,
            balances: balancesByName(account.working.balances), amountPaid: .zero(currency),
            tierBefore: account.working.tier, tierAfter: account.working.tier)
  }

  /// Balances under their currency names.
  func balancesByName(_ balances: [Int64]) -> NamedAmounts {
    var named = NamedAmounts()
    for index in points.indices { named[points[index].name] = balances[index] }
    return named
  }
}

extension Account {
  /// An account holding a copy of `state`.
  init(_ state: AccountState, program: Program) {
    var base = state
    self.init(moving: &base, program: program)
  }

  /// An account holding `state`, whose arrays are moved out of it (left empty there). A state
  /// an evaluation by `program` returned, unchanged since, brings its working values along
  /// (``WorkingFormCache``) and is not resolved by name.
  init(moving state: inout AccountState, program: Program) {
    owner = program
    guard let cached = state.workingForm.working(for: program) else {
      working = WorkingState(state, program: program)
      state.releaseWorkingFields()
      base = AccountBase(state, written: nil)
      return
    }
    let written = NamedWorkingValues(of: cached)
    // Emptied (the cache with them), so that the working values are the arrays' only owner
    // unless the caller still holds the state.
    state.releaseWorkingFields()
    base = AccountBase(state, written: written)
    working = cached
  }

  /// An account of working values made for `program`, from an empty stored state.
  init(working: WorkingState, program: Program) {
    self.working = working
    base = AccountBase.empty
    owner = program
  }

  /// Refuses an account made by another program: its indexes mean other currencies and rules.
  func check(owner program: Program) throws(EvaluationError) {
    guard owner === program else {
      throw EvaluationError("the account was made by another program; make one with this program's `account(_:)`")
    }
  }

  /// Below this many recent ids an account scans them instead of building a set: most
  /// customers of a real history have a handful of events, and a set costs an allocation and
  /// a hash of every id for them.
  static let idsScannedUpTo = 16

  /// Whether the recent ids are looked up in the set (else scanned).
  var looksUpRecentIDs: Bool {
    indexesRecentIDs && (recentIDs != nil || working.recentTransactions.count >= Account.idsScannedUpTo)
  }

  /// Whether the account has seen a transaction id lately (a repeated event is a duplicate).
  mutating func hasSeen(_ id: String) -> Bool {
    guard looksUpRecentIDs else { return working.recentTransactions.contains(id) }
    if recentIDs == nil { recentIDs = Set(working.recentTransactions) }
    return recentIDs!.contains(id)
  }

  /// Whether an event's transaction id is new (not a duplicate); a new one goes into the set
  /// at once (one look-up, not two), and a run that then fails drops the set.
  mutating func admit(_ id: String) -> Bool {
    guard looksUpRecentIDs else { return !working.recentTransactions.contains(id) }
    if recentIDs == nil { recentIDs = Set(working.recentTransactions) }
    return recentIDs!.insert(id).inserted
  }

  /// Keeps `recentIDs` in step after an evaluation added `id` (admitted before) to the recent
  /// ids and may have dropped `oldest`, the first of them before it.
  mutating func remember(_ id: String, oldest: String?) {
    guard recentIDs != nil else { return }
    if let oldest, working.recentTransactions.first != oldest { recentIDs!.remove(oldest) }
    // Anything else (several ids dropped at once) is rebuilt on the next use.
    if recentIDs!.count != working.recentTransactions.count { recentIDs = nil }
  }

  /// The rules' counters the evaluations so far added to (``EvaluationOptions/tallies``),
  /// leaving the account's empty.
  package mutating func takeRuleTally() -> RuleTally {
    var taken = RuleTally()
    swap(&taken, &buffers.tally)
    return taken
  }

  /// The rules' counters the evaluations so far added to (``RuleTally/counts``; empty until the
  /// first count), to read before ``zeroRuleTally()``.
  package var ruleTallyCounts: [Int64] { buffers.tally.counts }

  /// Sets the rules' counters to zero in place: ``takeRuleTally()`` without a new array each time.
  package mutating func zeroRuleTally() { buffers.tally.zero() }

  /// Lends the buffers to an evaluation, leaving this account's empty until they come back.
  mutating func takeBuffers() -> EvaluationBuffers {
    var taken = EvaluationBuffers()
    swap(&taken, &buffers)
    return taken
  }

  /// Hands the working values to an evaluation, leaving this account's empty until they come back.
  mutating func takeWorking() -> WorkingState {
    var taken = WorkingState.empty
    swap(&taken, &working)
    return taken
  }
}

extension Account {
  /// Makes this account what its program's ``Program/account()`` makes, in place: every
  /// array keeps its storage, and no account is built and moved (building an empty one and
  /// returning it by value cost about 7,000 instructions a customer of a sparse history,
  /// more than most of their events). The rule counters are not carried over.
  package mutating func resetForNewCustomer() {
    working.clearForNewCustomer(program: owner)
    if base !== AccountBase.empty { base = AccountBase.empty }
    recentIDs = nil
    indexesRecentIDs = true
    buffers.tally.zero()
  }
}
