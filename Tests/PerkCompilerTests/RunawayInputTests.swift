import Perk
import Testing

/// Mistyped data (a billion lattes, the year 9999) is refused with a reason instead of
/// stalling evaluation; big but plausible inputs still evaluate exactly.
@Suite struct RunawayInputTests {
  static let source = """
    program "Card"
      currency USD
      timezone America/Chicago

    stamps drink card
      collect 1 per item in category coffee
      every 2 stamps: cheapest item in category coffee is free
    """

  func program() throws -> Program {
    let compilation = compile(source: Self.source)
    return try #require(compilation.program, "\(compilation.diagnostics)")
  }

  func purchase(_ id: String, _ date: LocalDate, quantity: Int64, program: Program) -> Event {
    Event(kind: .purchase, id: id, time: program.timeZone.instant(of: date, secondOfDay: 43_200),
          lines: [LineItem(sku: "latte", category: "coffee", quantity: quantity,
                           unitPrice: Money(minorUnits: 450, currency: program.currency))])
  }

  @Test func aMillionUnitsEvaluateAndOneMoreIsRefused() throws {
    let program = try program()
    let day = try #require(LocalDate(iso: "2026-03-02"))
    let outcome = try program.evaluate(purchase("T1", day, quantity: 1_000_000, program: program),
                                       customer: Customer(id: "c"), state: AccountState())
    // Every second unit completes a card: half a million free lattes, the rest paid.
    #expect(outcome.awards.filter { if case .freeItem = $0.kind { true } else { false } }.count == 500_000)
    #expect(outcome.amountPaid == Money(minorUnits: 500_000 * 450, currency: program.currency))
    #expect(throws: EvaluationError("the basket has more than 1000000 units; a purchase is at most a million items")) {
      try program.evaluate(purchase("T2", day, quantity: 1_000_000_001, program: program),
                           customer: Customer(id: "c"), state: AccountState())
    }
  }

  @Test func anEventCenturiesAfterTheLastIsRefused() throws {
    let program = try program()
    let first = try program.evaluate(purchase("T1", try #require(LocalDate(iso: "2026-03-02")), quantity: 1, program: program),
                                     customer: Customer(id: "c"), state: AccountState())
    #expect(throws: EvaluationError(
      "9999-03-02 is more than 100 years after the account was last brought up to date (2026-03-02); check the date")) {
      try program.evaluate(purchase("T2", try #require(LocalDate(iso: "9999-03-02")), quantity: 1, program: program),
                           customer: Customer(id: "c"), state: first.state)
    }
    // A century is still walked (and quickly: period ends are cheap on days when nothing is due).
    let later = try program.evaluate(purchase("T3", try #require(LocalDate(iso: "2125-03-02")), quantity: 1, program: program),
                                     customer: Customer(id: "c"), state: first.state)
    #expect(later.state.stamps["drink card"] == 0)
  }
}
