import Foundation
import Perk
import PerkRuntime
import Testing
@testable import PerkSimulator

/// `perk sim` counts the messages `send message` rules make due — sent and suppressed by rule
/// and channel, deferred by quiet hours, per month — and adds what the program says they cost.
@Suite struct MessageSimulationTests {
  static let program = compile(source: """
    program "Contact Costs"
      currency USD
      timezone America/New_York
      quiet hours 21:00 to 8:00
      consent for sms from attribute sms_opt_in
      message costs $0.05 via sms
      message costs $0.01 via email

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent
      send message "Thanks" via email

    rule reminder
      on 30 days after purchase in category coffee
      send message "More coffee?" via sms

    rule we miss you
      on 30 days without purchase
      send message "We miss you"
    """, path: "contact-costs.perk").program!

  static func purchase(_ id: String, _ date: String, hour: Int64) -> Event {
    Event(kind: .purchase, id: id, time: program.timeZone.instant(of: Fixture.date(date), secondOfDay: hour * 3600),
          lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Money(minorUnits: 450, currency: Currency.named("USD")!))])
  }

  static func run(_ customer: Customer) -> Figures {
    let settings = RunSettings(policy: .none, seed: 1, from: Fixture.date("2020-01-01"), to: Fixture.date("2020-12-31"), trace: false)
    var run = CustomerRun(program: program, settings: settings, customer: customer, ledger: FigureLedger(program: program))
    run.run([purchase("t1", "2020-03-10", hour: 22)])
    return run.ledger.figures()
  }

  @Test func messagesAreCountedByRuleAndChannelAndCostWhatTheProgramSays() {
    // Without consent: the reminder is suppressed; the thank-you (22:00, deferred to 08:00) and
    // the note 30 days later (00:00, deferred to 08:00) are sent by email at $0.01 each.
    let figures = Self.run(Customer(id: "a"))
    #expect(figures.messages.sent == ["base earn": ["email": 1], "we miss you": ["email": 1]])
    #expect(figures.messages.suppressed == ["reminder": ["sms": 1]])
    #expect(figures.messages.deferred == 2)
    #expect(figures.costByKind["messages"] == 2)
    #expect(figures.costByRule["we miss you"] == 1)
    let march = CustomerRun.monthIndex(Fixture.date("2020-03-01"))
    let april = CustomerRun.monthIndex(Fixture.date("2020-04-01"))
    #expect(figures.months[march]?.messages.sent == ["base earn": ["email": 1]])
    #expect(figures.months[april]?.messages.sent == ["we miss you": ["email": 1]])
    #expect(figures.months[april]?.messages.suppressedTotal == 1)
    #expect(figures.months[april]?.costByKind["messages"] == 1)
    // With consent the reminder goes out by text at $0.05.
    let consenting = Self.run(Customer(id: "b", attributes: ["sms_opt_in": "yes"]))
    #expect(consenting.messages.sent == ["base earn": ["email": 1], "reminder": ["sms": 1], "we miss you": ["email": 1]])
    #expect(consenting.messages.suppressed.isEmpty)
    #expect(consenting.costByKind["messages"] == 7)
  }

  @Test func everyReportFormatCarriesTheMessagesAndTheJSONReadsBack() throws {
    let history = Array("""
      customer,txn,time,sku,category,qty,unit_price
      a,t1,2020-03-10T22:00,latte,coffee,1,4.50
      b,t2,2020-03-12T10:00,latte,coffee,1,4.50

      """.utf8)
    var customers = CustomerTable()
    customers.customers["b"] = Customer(id: "b", attributes: ["sms_opt_in": "yes"])
    var options = SimulationOptions()
    options.to = Fixture.date("2020-06-30")
    let result = try Simulator(program: Self.program, options: options)
      .run(history: .bytes(name: "h.csv", history), read: HistoryReadOptions(), customers: customers)
    let text = TextReport.render(result, settings: ReportSettings())
    // a's thank-you at 22:00 and the three period-end messages at midnight are deferred.
    #expect(text.contains("  we miss you    email     2           0  $0.02\n"))
    #expect(text.contains("  reminder         sms     1           1  $0.05\n"))
    #expect(text.contains("  deferred by quiet hours: 4\n"))
    #expect(text.contains("  2020-04     3           1         3\n"))
    #expect(text.contains("  messages"))
    let json = JSONReport.render(result, settings: ReportSettings(), compare: nil, sweep: [])
    let (decoded, _) = try JSONReport.decode(Array(json.utf8), path: "r.json")
    #expect(decoded.figures.messages == result.figures.messages)
    #expect(decoded.figures.months.mapValues(\.messages) == result.figures.months.mapValues(\.messages))
    let csv = CSVReport.monthly(result)
    let header = csv.split(separator: "\n").first.map(String.init) ?? ""
    #expect(header.hasSuffix("messages_base_earn_email,messages_reminder_sms,messages_we_miss_you_email,messages_suppressed,messages_deferred"))
    let html = HTMLReport.render(result, settings: ReportSettings(), compare: nil, sweep: [])
    #expect(html.contains("<h2>Messages sent per month</h2>"))
    #expect(html.contains("Deferred by quiet hours: 4."))
  }
}
