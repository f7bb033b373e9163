import Perk
import Testing

/// `send message` and the period ends that time messages (`on 90 days after purchase in …`,
/// `on N days without purchase`, `on N days before POINTS expire`), in every evaluation form.
@Suite struct ContactMessageTests {
  static let source = """
    program "Ridge Auto"
      currency USD
      timezone America/Denver

    points club points
      worth $0.01
      expire 12 months after earning

    tiers by spend over last 12 months
      member  from $0
      gold    from $1,000  earn x2

    rule base earn
      on purchase
      earn 1 club points per $1 spent
      send message "{customer} has {club points balance} club points ({tier})" via receipt

    rule oil change reminder
      on 90 days after purchase in category oil
      send message "Oil change due, {customer}" via sms

    rule we miss you
      on 120 days without purchase
      give voucher "Come back" worth $10
      send message "Here is {voucher}"

    rule expiry warning
      on 14 days before club points expire
      send message "{club points expiring} expire on {club points expiry date}" via push
    """

  static func program() throws -> Program {
    try #require(compile(source: source, path: "club.perk").program)
  }

  static let zone = ProgramTimeZone(identifier: "America/Denver")!
  static let alice = Customer(id: "alice")

  static func at(_ date: String, _ hour: Int64 = 10) -> Instant {
    zone.instant(of: LocalDate(iso: date)!, secondOfDay: hour * 3600)
  }

  static func purchase(_ id: String, _ date: String, category: String, dollars: String) -> Event {
    Event(kind: .purchase, id: id, time: at(date),
          lines: [LineItem(sku: category, category: category, quantity: 1, unitPrice: Money(parsing: dollars, currency: Currency.named("USD")!)!)])
  }

  static func texts(_ outcome: Outcome) -> [String] {
    outcome.messages.map { "\($0.dueText) \($0.channel.rawValue) \($0.rule): \($0.text) [\($0.reason)]" }
  }

  /// An oil change, a tyre, then a year of period ends, through one form of evaluation.
  static func run(_ form: Int) throws -> [[String]] {
    let program = try program()
    let events = [purchase("T1", "2026-01-10", category: "oil", dollars: "49.00"),
                  purchase("T2", "2026-02-01", category: "tyres", dollars: "120.00")]
    let advances = ["2026-04-10", "2026-06-01", "2027-01-10"].map { at($0, 0) }
    var out: [[String]] = []
    switch form {
    case 0:
      var state = AccountState()
      for event in events {
        let outcome = try program.evaluate(event, customer: alice, state: state)
        out.append(texts(outcome))
        state = outcome.state
      }
      for time in advances {
        let outcome = try program.advance(to: time, customer: alice, state: state)
        out.append(texts(outcome))
        state = outcome.state
      }
    case 1:
      var state = AccountState()
      var budgets = BudgetLedger()
      for event in events {
        out.append(texts(try program.evaluate(event, customer: alice, updating: &state, budgets: &budgets, options: .full)))
      }
      for time in advances {
        let outcome = try program.advance(to: time, customer: alice, state: state)
        out.append(texts(outcome))
        state = outcome.state
      }
    default:
      var account = program.account()
      var budgets = BudgetLedger()
      for event in events {
        out.append(texts(try program.evaluate(event, customer: alice, account: &account, budgets: &budgets, options: .amountsOnly)))
      }
      for time in advances {
        out.append(texts(try program.advance(to: time, customer: alice, account: &account, options: .amountsOnly)))
      }
    }
    return out
  }

  @Test func everyEvaluationFormGivesTheSameMessages() throws {
    let expected: [[String]] = [
      ["2026-01-10T10:00 receipt base earn: alice has 49 club points (member) [purchase T1]"],
      ["2026-02-01T10:00 receipt base earn: alice has 169 club points (member) [purchase T2]"],
      ["2026-04-10T00:00 sms oil change reminder: Oil change due, alice [90 days after the last purchase of oil items on 2026-01-10]"],
      ["2026-06-01T00:00 email we miss you: Here is Come back [120 days after the last purchase on 2026-02-01]"],
      ["2026-12-27T00:00 push expiry warning: 49 expire on 2027-01-10 [49 club points expire in 14 days]",
       "2027-01-18T00:00 push expiry warning: 120 expire on 2027-02-01 [120 club points expire in 14 days]"],
    ]
    // The last advance stops at 2027-01-10: the second warning is not due yet.
    var expectedHere = expected
    expectedHere[4] = [expected[4][0]]
    for form in 0..<3 {
      #expect(try Self.run(form) == expectedHere, "form \(form)")
    }
  }

  @Test func aLaterMatchingPurchaseMovesTheReminderAndAnotherCategoryDoesNot() throws {
    let program = try Self.program()
    var state = try program.evaluate(Self.purchase("T1", "2026-01-10", category: "oil", dollars: "49.00"), customer: Self.alice, state: AccountState()).state
    state = try program.evaluate(Self.purchase("T2", "2026-02-01", category: "tyres", dollars: "10.00"), customer: Self.alice, state: state).state
    // 2026-04-10 is 90 days after the oil change; the tyre does not move it.
    let due = try program.advance(to: Self.at("2026-04-10", 0), customer: Self.alice, state: state)
    #expect(due.messages.map(\.rule) == ["oil change reminder"])
    state = try program.evaluate(Self.purchase("T3", "2026-03-01", category: "oil", dollars: "49.00"), customer: Self.alice, state: state).state
    #expect(state.triggers.lastPurchaseFor == ["oil change reminder": LocalDate(iso: "2026-03-01")!])
    let moved = try program.advance(to: Self.at("2026-04-10", 0), customer: Self.alice, state: state)
    #expect(moved.messages.isEmpty)
    let later = try program.advance(to: Self.at("2026-05-30", 0), customer: Self.alice, state: state)
    #expect(later.messages.map(\.dueText) == ["2026-05-30T00:00"])
  }

  @Test func aRefusedEventKeepsNoMessageAndTheNextAdvanceGivesIt() throws {
    let program = try #require(compile(source: Self.source + """


      reward car wash costs 1,000 club points, worth $10
      """, path: "club.perk").program)
    let state = try program.evaluate(Self.purchase("T1", "2026-01-10", category: "oil", dollars: "49.00"), customer: Self.alice, state: AccountState()).state
    // The redemption cannot be paid: refused, and the period ends it walked are undone with it.
    let refused = try program.evaluate(Event(kind: .redemption(reward: "car wash"), id: "R1", time: Self.at("2026-04-11")),
                                       customer: Self.alice, state: state)
    #expect(refused.rejection != nil)
    #expect(refused.messages.isEmpty)
    #expect(refused.state == state)
    let advanced = try program.advance(to: Self.at("2026-04-11"), customer: Self.alice, state: state)
    #expect(advanced.messages.map(\.rule) == ["oil change reminder"])
  }

  @Test func outcomeJSONListsMessagesOnlyWhenThereAreSome() throws {
    let program = try Self.program()
    let outcome = try program.evaluate(Self.purchase("T1", "2026-01-10", category: "oil", dollars: "49.00"), customer: Self.alice, state: AccountState())
    guard case .object(let object) = outcome.json, case .array(let messages)? = object["messages"] else {
      Issue.record("no messages in \(outcome.json)")
      return
    }
    #expect(messages == [.object(["rule": .string("base earn"), "channel": .string("receipt"),
                                   "text": .string("alice has 49 club points (member)"), "due": .string("2026-01-10T10:00"),
                                   "why": .string("purchase T1")])])
    let quiet = try program.advance(to: Self.at("2026-01-20"), customer: Self.alice, state: outcome.state)
    guard case .object(let quietObject) = quiet.json else { return }
    #expect(quietObject["messages"] == nil)
  }

  @Test func atATimeOfDayAMessageIsDueAtTheNextSuchMinute() throws {
    let program = try #require(compile(source: """
      program "Greetings"
        currency USD
        timezone America/Denver

      points club points
        worth $0.01

      rule thanks
        on purchase
        send message "Thanks" at 9:00

      rule birthday greeting
        on birthday
        send message "Happy birthday" via sms at 9:00
      """, path: "greetings.perk").program)
    let dana = Customer(id: "dana", birthday: LocalDate(iso: "1988-06-15")!)
    var state = AccountState()
    var dues: [String] = []
    for (id, date, hour) in [("T1", "2026-06-01", Int64(15)), ("T2", "2026-06-02", 9), ("T3", "2026-06-03", 8)] {
      let outcome = try program.evaluate(Self.purchase(id, date, category: "parts", dollars: "1.00").with(hour: hour, zone: Self.zone),
                                         customer: dana, state: state)
      dues += outcome.messages.map(\.dueText)
      state = outcome.state
    }
    #expect(dues == ["2026-06-02T09:00", "2026-06-02T09:00", "2026-06-03T09:00"])
    let birthday = try program.advance(to: Self.at("2026-06-15", 0), customer: dana, state: state)
    #expect(Self.texts(birthday) == ["2026-06-15T09:00 sms birthday greeting: Happy birthday [birthday]"])
  }
}

extension ContactMessageTests {
  /// `on reaching tier gold` after the purchase that reaches it, `on losing tier gold` at the
  /// monthly review that lowers it: in the state form and the account form alike.
  @Test func tierTriggersFireWhenTheHeldTierChanges() throws {
    let program = try #require(compile(source: """
      program "Tier Club"
        currency USD
        timezone America/Denver

      points club points
        worth $0.01

      tiers by spend over last 12 months
        member  from $0
        gold    from $1,000  earn x2
        review at start of each month, down to the qualified level

      rule base earn
        on purchase
        earn 1 club points per $1 spent

      rule gold welcome
        on reaching tier gold
        earn 500 club points
        send message "Welcome to gold: {club points balance} club points ({tier})"

      rule gold lost
        on losing tier gold
        send message "Back to {tier}"
      """, path: "tier.perk").program)
    let big = Self.purchase("T1", "2026-01-10", category: "repair", dollars: "1200.00")
    let small = Self.purchase("T2", "2026-01-20", category: "repair", dollars: "10.00")
    let review = Self.at("2027-02-01", 0)
    // State form.
    let first = try program.evaluate(big, customer: Self.alice, state: AccountState())
    #expect(Self.texts(first) == ["2026-01-10T10:00 email gold welcome: Welcome to gold: 1700 club points (gold) [reached tier gold]"])
    #expect(first.awards.filter { $0.source == "gold welcome" }.map(\.kind) == [.points(currency: "club points", amount: 500, value: Money(minorUnits: 500, currency: program.currency))])
    let again = try program.evaluate(small, customer: Self.alice, state: first.state)
    #expect(again.messages.isEmpty)
    let lapsed = try program.advance(to: review, customer: Self.alice, state: again.state)
    #expect(Self.texts(lapsed) == ["2027-02-01T00:00 email gold lost: Back to member [lost tier gold]"])
    // Account form.
    var account = program.account()
    var budgets = BudgetLedger()
    let accountFirst = try program.evaluate(big, customer: Self.alice, account: &account, budgets: &budgets, options: .amountsOnly)
    _ = try program.evaluate(small, customer: Self.alice, account: &account, budgets: &budgets, options: .amountsOnly)
    let accountLapsed = try program.advance(to: review, customer: Self.alice, account: &account, options: .amountsOnly)
    #expect(Self.texts(accountFirst) == Self.texts(first))
    #expect(Self.texts(accountLapsed) == Self.texts(lapsed))
  }
}

extension ContactMessageTests {
  @Test func stampsToGoCountsWhatTheCardStillNeeds() throws {
    let program = try #require(compile(source: """
      program "Wash Club"
        currency USD
        timezone America/Denver

      stamps wash card
        collect 1 per visit
        every 5 stamps: voucher "Free wash" worth $12

      stamps fuel card
        collect spend
        every $100 spent: voucher "Fuel" worth $5

      rule thanks
        on purchase
        send message "{wash card stamps to go} more washes to a free one, {fuel card stamps to go} to fuel" via receipt
      """, path: "wash.perk").program)
    let first = try program.evaluate(Self.purchase("T1", "2026-01-10", category: "wash", dollars: "12.50"), customer: Self.alice, state: AccountState())
    #expect(first.messages.map(\.text) == ["4 more washes to a free one, $87.50 to fuel"])
    // An unknown card is a located error naming the closest one.
    let wrong = compile(source: """
      program "Wash Club"
        currency USD
        timezone America/Denver

      stamps wash card
        collect 1 per visit
        every 5 stamps: voucher "Free wash" worth $12

      rule thanks
        on purchase
        send message "{wash crd stamps to go} to go"
      """, path: "wash.perk")
    #expect(wrong.program == nil)
    #expect(wrong.diagnostics.map(\.message) == ["unknown placeholder `{wash crd stamps to go}`: `wash crd` is not a stamp card"])
  }
}

extension ContactMessageTests {
  /// A placeholder names a currency as declared, letter case included; its keywords take any case.
  @Test func placeholdersKeepTheCaseOfDeclaredNames() throws {
    let program = try #require(compile(source: """
      program "Case"
        currency USD
        timezone America/Denver

      points Club Points
        worth $0.01

      rule base earn
        on purchase
        earn 1 Club Points per $1 spent
        send message "{Club Points Balance} for {CUSTOMER}"
      """, path: "case.perk").program)
    let outcome = try program.evaluate(Self.purchase("T1", "2026-01-10", category: "oil", dollars: "49.00"), customer: Self.alice, state: AccountState())
    #expect(outcome.messages.map(\.text) == ["49 for alice"])
  }
}

extension Event {
  /// The same event at another hour of its local day.
  func with(hour: Int64, zone: ProgramTimeZone) -> Event {
    var copy = self
    copy.time = zone.instant(of: zone.localTime(of: time).date, secondOfDay: hour * 3600)
    return copy
  }
}
