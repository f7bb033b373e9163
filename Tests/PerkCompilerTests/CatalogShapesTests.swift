import Perk
import Testing

/// Shapes from the program catalog (P1, P3, P12) check without diagnostics.
@Suite struct CatalogShapesTests {
  static let header = "program \"P\"\n  currency USD\n  timezone America/Chicago\n\n"

  @Test func punchCard() {
    let source = Self.header + """
      stamps drink card
        collect 1 per item in category coffee, tea
        every 8 stamps: cheapest item in category coffee, tea is free

      """
    #expect(compile(source: source).diagnostics.map(\.message) == [])
  }

  @Test func fashionTiers() {
    let source = Self.header + """
      points points
        worth $0.01

      tiers by spend this year
        member  from $0       earn x1
        silver  from $250     earn x1.5
        gold    from $1,000   earn x2
        keep until end of next year

      rule base
        on purchase
        earn 1 points per $1 spent

      """
    #expect(compile(source: source).diagnostics.map(\.message) == [])
  }

  @Test func dualTiers() {
    let source = Self.header + """
      points miles
        worth $0.01

      tiers by spend or visits over last 12 months
        blue    from $0 or 0 visits           earn x1
        silver  from $2,500 or 25 visits      earn x1.5
        gold    from $6,000 or 50 visits      earn x2
        keep for 12 months

      rule base
        on purchase
        earn 5 miles per $1 spent

      """
    #expect(compile(source: source).diagnostics.map(\.message) == [])
  }
}
