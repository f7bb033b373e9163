import Foundation
@testable import PerkCompiler
import PerkSource
import Testing

/// Category and SKU names that are probably typos (W0116, E0326), and one reading of money
/// literals (E0104 in a condition as in a clause).
@Suite struct CatalogNameTests {
  static let header = """
    program "Test"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    """

  func diagnostics(_ body: String, program extra: String = "") -> [Diagnostic] {
    let text = Self.header.replacingOccurrences(of: "America/New_York\n", with: "America/New_York\n" + extra) + body
    var diagnostics = Diagnostics()
    _ = checkSources([SourceFile(id: 0, path: "test.perk", text: text)], diagnostics: &diagnostics)
    return diagnostics.sorted()
  }

  func messages(_ body: String, program extra: String = "") -> [String] {
    diagnostics(body, program: extra).map { "\($0.code.rawValue) \($0.message)" }
  }

  static let coffeeAndTypo = """
    rule coffee card
      on purchase
      earn 1 stars per item in category coffee, tea

    rule free pastry
      on purchase
      cheapest item in category cofee, tea is free

    """

  @Test func aCategoryWrittenOnceNearAnotherIsAWarning() {
    let found = diagnostics(Self.coffeeAndTypo)
    #expect(found.map { "\($0.code.rawValue) \($0.message)" }
            == ["W0116 category `cofee` is written only here, and `coffee` elsewhere"])
    #expect(found.first?.primaryLabel == "did you mean `coffee`?")
    #expect(found.first?.help == "if both are real, list them in `program`: `categories coffee, cofee`")
  }

  @Test func ofTwoNamesWrittenOnceTheSecondIsReported() {
    #expect(messages("""
      rule a
        on purchase
        earn 1 stars per item on sku latte

      rule b
        on purchase
        earn 1 stars per item on sku latet

      """) == ["W0116 sku `latet` is written only here, and `latte` elsewhere"])
  }

  @Test func categoriesAndSkusAreComparedSeparately() {
    #expect(messages("""
      rule a
        on purchase
        earn 1 stars per item in category latte
        earn 1 stars per item on sku latet

      """) == [])
  }

  @Test func namesThatDifferOnlyInDigitsAreNotTypos() {
    #expect(messages("""
      rule a
        on purchase
        earn 1 stars per item in category size10
        earn 2 stars per item in category size12

      """) == [])
  }

  @Test func letterCaseAloneIsATypo() {
    #expect(messages("""
      rule a
        on purchase
        earn 1 stars per item in category coffee
        earn 2 stars per item in category Coffee

      """) == ["W0116 category `Coffee` is written only here, and `coffee` elsewhere"])
  }

  @Test func withAListAnUnknownNameIsAnErrorAndNoWarningIsGiven() {
    let found = diagnostics(Self.coffeeAndTypo, program: "  categories coffee, tea\n")
    #expect(found.map { "\($0.code.rawValue) \($0.message)" } == ["E0326 unknown category `cofee`"])
    #expect(found.first?.help == "did you mean `coffee`?")
    #expect(messages(Self.coffeeAndTypo, program: "  categories coffee\n  categories cofee, tea\n") == [])
    #expect(messages("rule a\n  on purchase\n  earn 1 stars per item on sku scone\n", program: "  skus latte\n")
            == ["E0326 unknown sku `scone`"])
    #expect(diagnostics("rule a\n  on purchase\n  earn 1 stars per item on sku scone\n", program: "  skus latte\n")
      .first?.help == "add `scone` to the `skus` clause of `program`")
  }

  @Test func aListNeedsNames() {
    #expect(messages("", program: "  categories\n") == ["E0201 expected a category name after `categories`, found end of line"])
  }

  @Test func moneyInAConditionHasTheCurrencysDecimals() {
    let found = diagnostics("rule a\n  on purchase\n  when basket total >= $20.005\n  earn 10 stars\n")
    #expect(found.map { "\($0.code.rawValue) \($0.message)" } == ["E0104 money amount has more decimals than USD allows"])
    #expect(found.first?.help == "write at most 2 decimals, such as `$20.00`")
    #expect(messages("rule a\n  on purchase\n  when basket total >= $20.050\n  earn 10 stars\n") == [])
    // A clause names itself, as before; a point's worth may be finer than a cent.
    #expect(messages("rule a\n  on purchase\n  give voucher \"V\" worth $5.005\n")
            == ["E0104 `worth` amount has more decimals than USD allows"])
    #expect(messages("points gems\n  worth $0.001\n\nrule a\n  on purchase\n  earn 1 gems per $1 spent\n  earn 1 stars per $1 spent\n") == [])
  }
}
