import Perk
import Testing

/// The program's contact policy: consent per channel, quiet hours in the customer's local time,
/// a cap per calendar period with priorities (ContactPolicy.swift, Messages.swift).
@Suite struct ContactPolicyTests {
  static func program(_ policy: String, reminderPriority: Int = 1) throws -> Program {
    try #require(compile(source: """
      program "Ridge Auto"
        currency USD
        timezone America/Denver
        calendar in customer time zones
      \(policy)
      points club points
        worth $0.01

      rule base earn
        on purchase
        earn 1 club points per $1 spent
        send message "Thanks, {customer}"
        send message "{club points balance} club points" via receipt

      rule oil change reminder
        on 90 days after purchase in category oil
        send message "Oil change due" via sms
        priority \(reminderPriority)

      rule we miss you
        on 90 days without purchase
        send message "We miss you"
        priority 2
      """, path: "policy.perk").program)
  }

  static let denver = ProgramTimeZone(identifier: "America/Denver")!
  static let tokyo = ProgramTimeZone(identifier: "Asia/Tokyo")!

  static func oil(_ id: String, _ date: String, _ hour: Int64, _ minute: Int64 = 0, zone: ProgramTimeZone = denver) -> Event {
    Event(kind: .purchase, id: id, time: zone.instant(of: LocalDate(iso: date)!, secondOfDay: hour * 3600 + minute * 60),
          lines: [LineItem(sku: "oil", category: "oil", quantity: 1, unitPrice: Money(parsing: "49.00", currency: Currency.named("USD")!)!)])
  }

  static func summary(_ messages: [DueMessage]) -> [String] {
    messages.map { "\($0.dueText) \($0.channel.rawValue) \($0.text)" + ($0.deferredFrom.map { " (from \($0))" } ?? "")
      + ($0.suppression.map { " [\($0)]" } ?? "") }
  }

  @Test func quietHoursDeferToTheirEndInTheCustomersZoneButNotReceipts() throws {
    let program = try Self.program("  quiet hours 21:00 to 8:00\n")
    let alice = Customer(id: "alice")
    let late = try program.evaluate(Self.oil("T1", "2026-01-10", 22, 15), customer: alice, state: AccountState())
    #expect(Self.summary(late.messages) == ["2026-01-11T08:00 email Thanks, alice (from 2026-01-10T22:15)",
                                            "2026-01-10T22:15 receipt 49 club points"])
    let morning = try program.evaluate(Self.oil("T2", "2026-01-12", 8, 0), customer: alice, state: late.state)
    #expect(Self.summary(morning.messages) == ["2026-01-12T08:00 email Thanks, alice", "2026-01-12T08:00 receipt 98 club points"])
    let early = try program.evaluate(Self.oil("T3", "2026-01-13", 7, 59), customer: alice, state: morning.state)
    #expect(Self.summary(early.messages).first == "2026-01-13T08:00 email Thanks, alice (from 2026-01-13T07:59)")
    // A period end runs at local midnight, inside the quiet hours: due at 08:00 that day.
    let reminder = try program.advance(to: Self.denver.instant(of: LocalDate(iso: "2026-04-13")!, secondOfDay: 0),
                                       customer: alice, state: early.state)
    #expect(Self.summary(reminder.messages) == ["2026-04-13T08:00 email We miss you (from 2026-04-13T00:00)",
                                                "2026-04-13T08:00 sms Oil change due (from 2026-04-13T00:00)"])
    // Kenji's local time: 13:00 in Denver is 05:00 the next day in Tokyo, inside his quiet hours.
    let kenji = Customer(id: "kenji", timeZone: Self.tokyo)
    let tokyo = try program.evaluate(Self.oil("K1", "2026-01-10", 13), customer: kenji, state: AccountState())
    #expect(Self.summary(tokyo.messages).first == "2026-01-11T08:00 email Thanks, kenji (from 2026-01-11T05:00)")
  }

  @Test func quietHoursInsideOneDay() throws {
    let program = try Self.program("  quiet hours 12:00 to 14:30\n")
    let lunch = try program.evaluate(Self.oil("T1", "2026-01-10", 12, 0), customer: Customer(id: "a"), state: AccountState())
    #expect(Self.summary(lunch.messages).first == "2026-01-10T14:30 email Thanks, a (from 2026-01-10T12:00)")
    let after = try program.evaluate(Self.oil("T2", "2026-01-10", 14, 30), customer: Customer(id: "a"), state: lunch.state)
    #expect(Self.summary(after.messages).first == "2026-01-10T14:30 email Thanks, a")
  }

  @Test func withoutConsentAMessageIsSuppressedAndTakesNoSlot() throws {
    let program = try Self.program("  consent for sms from attribute sms_opt_in\n  messages at most 1 per week\n", reminderPriority: 3)
    let first = Self.oil("T1", "2026-01-10", 10)
    let due = Self.denver.instant(of: LocalDate(iso: "2026-04-10")!, secondOfDay: 0)
    for (value, sent, suppressed) in [
      ("yes", ["2026-04-10T00:00 sms Oil change due"], ["2026-04-10T00:00 email We miss you [cap: at most 1 message per week]"]),
      ("TRUE", ["2026-04-10T00:00 sms Oil change due"], ["2026-04-10T00:00 email We miss you [cap: at most 1 message per week]"]),
      ("no", ["2026-04-10T00:00 email We miss you"], ["2026-04-10T00:00 sms Oil change due [no consent: attribute sms_opt_in is not yes]"]),
    ] {
      let customer = Customer(id: "c", attributes: ["sms_opt_in": value])
      let bought = try program.evaluate(first, customer: customer, state: AccountState())
      let outcome = try program.advance(to: due, customer: customer, state: bought.state)
      #expect(Self.summary(outcome.messages) == sent, "sms_opt_in \(value)")
      #expect(Self.summary(outcome.suppressedMessages) == suppressed, "sms_opt_in \(value)")
    }
  }

  @Test func theCapCountsCalendarPeriodsAndTheHigherPriorityGoesFirst() throws {
    let due = Self.denver.instant(of: LocalDate(iso: "2026-04-10")!, secondOfDay: 0)
    for (priority, sent) in [(1, "We miss you"), (3, "Oil change due")] {
      let program = try Self.program("  messages at most 1 per week\n", reminderPriority: priority)
      let alice = Customer(id: "alice")
      // 2026-01-10 is a Saturday: the thank-you takes that week's slot; the receipt takes none.
      let bought = try program.evaluate(Self.oil("T1", "2026-01-10", 10), customer: alice, state: AccountState())
      #expect(bought.messages.map(\.text) == ["Thanks, alice", "49 club points"])
      #expect(bought.state.triggers.messageDays == [LocalDate(iso: "2026-01-10")!])
      // Sunday is the same week: no thank-you; Monday starts a new one.
      let sunday = try program.evaluate(Self.oil("T2", "2026-01-11", 10), customer: alice, state: bought.state)
      #expect(sunday.messages.map(\.text) == ["98 club points"])
      #expect(sunday.suppressedMessages.map(\.text) == ["Thanks, alice"])
      let monday = try program.evaluate(Self.oil("T3", "2026-01-12", 10), customer: alice, state: sunday.state)
      #expect(monday.messages.map(\.text) == ["Thanks, alice", "147 club points"])
      // Older weeks are forgotten.
      #expect(monday.state.triggers.messageDays == [LocalDate(iso: "2026-01-12")!])
      // 90 days after the last oil change (2026-01-12) both rules fall due with one slot.
      let reminders = try program.advance(to: Self.denver.instant(of: LocalDate(iso: "2026-04-12")!, secondOfDay: 0),
                                          customer: alice, state: monday.state)
      #expect(reminders.messages.map(\.text) == [sent], "reminder priority \(priority)")
      #expect(reminders.suppressedMessages.count == 1)
      _ = due
    }
  }

  @Test func outcomeJSONCarriesDeferralAndSuppression() throws {
    let program = try Self.program("  quiet hours 21:00 to 8:00\n  consent for sms from attribute sms_opt_in\n")
    let alice = Customer(id: "alice")
    let bought = try program.evaluate(Self.oil("T1", "2026-01-10", 10), customer: alice, state: AccountState())
    let outcome = try program.advance(to: Self.denver.instant(of: LocalDate(iso: "2026-04-10")!, secondOfDay: 0), customer: alice, state: bought.state)
    guard case .object(let object) = outcome.json else {
      Issue.record("not an object")
      return
    }
    #expect(object["messages"] == .array([.object([
      "rule": .string("we miss you"), "channel": .string("email"), "text": .string("We miss you"), "due": .string("2026-04-10T08:00"),
      "why": .string("90 days after the last purchase on 2026-01-10"), "deferred_from": .string("2026-04-10T00:00"),
    ])]))
    #expect(object["suppressed_messages"] == .array([.object([
      "rule": .string("oil change reminder"), "channel": .string("sms"), "text": .string("Oil change due"), "due": .string("2026-04-10T00:00"),
      "why": .string("90 days after the last purchase of oil items on 2026-01-10"),
      "suppressed": .string("no consent: attribute sms_opt_in is not yes"),
    ])]))
  }

  @Test func aStateNamingAnUndeclaredContactRuleIsRefused() throws {
    let program = try Self.program("")
    let good = #"{"version": 2, "triggers": {"last_purchase_for": {"oil change reminder": "2026-01-10"}, "message_days": ["2026-01-10"]}}"#
    let state = try program.decodeState(JSONNode.parse(Array(good.utf8), path: "s.json"), path: "s.json")
    #expect(state.triggers.lastPurchaseFor == ["oil change reminder": LocalDate(iso: "2026-01-10")!])
    #expect(state.triggers.messageDays == [LocalDate(iso: "2026-01-10")!])
    let bad = #"{"version": 2, "triggers": {"last_purchase_for": {"oil reminder": "2026-01-10"}}}"#
    do {
      _ = try program.decodeState(JSONNode.parse(Array(bad.utf8), path: "s.json"), path: "s.json")
      Issue.record("a state naming an undeclared rule was accepted")
    } catch {
      #expect("\(error)".contains("oil reminder"), "\(error)")
    }
  }
}
