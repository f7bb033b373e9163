import Perk
import Testing

@testable import PerkLanguageServer

/// A compiled rule in words, as hover shows it.
struct RuleMeaningTests {
  static let program = """
    program "Words"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rewards placeholder

    rule base earn
      on purchase
      earn 2 stars per $1 spent

    rule pastry triple
      on purchase
      earn 6 stars per whole $1 spent on category pastry
      replaces base earn for those items

    rule birthday treat
      on purchase
      when month is birthday month
      give voucher "Birthday drink" worth $5 valid for 30 days
      at most once per year

    rule snacks
      on purchase
      discount 15% on category snacks
      buy 3 in category chips pay for 2
      cheapest item in category coffee is free
      earn 1 stars per item not in category giftcard before discounts
      multiply stars by 1.5

    """

  func sentences(_ rule: String) throws -> [String] {
    let text = Self.program.replacingOccurrences(of: "rewards placeholder\n", with: "")
    let compilation = compile(source: text)
    let program = try #require(compilation.program, "\(compilation.diagnostics)")
    let spec = try #require(program.rules.first { $0.name == rule })
    return RuleMeaning(program: program).sentences(spec)
  }

  @Test func earningRules() throws {
    #expect(try sentences("base earn") == [
      "Runs on every purchase.",
      "Earns 2 stars for every $1.00 spent on all items, counted after discounts.",
    ])
    #expect(try sentences("pastry triple") == [
      "Runs on every purchase.",
      "Replaces what `base earn` earns on the lines it earns on.",
      "Earns 6 stars for every whole $1.00 spent on the items in category pastry, counted after discounts.",
    ])
  }

  @Test func vouchersAndLimits() throws {
    #expect(try sentences("birthday treat") == [
      "Runs on every purchase when its `when` condition holds.",
      "Gives a voucher \"Birthday drink\" worth $5.00, valid 30 days.",
      "Fires at most once per calendar year.",
    ])
  }

  @Test func promotions() throws {
    #expect(try sentences("snacks") == [
      "Runs on every purchase.",
      "Takes 15% off the items in category snacks, taken together.",
      "Of every 3 items among the items in category chips the customer pays for 2, the cheapest of each group free.",
      "Makes the cheapest item among the items in category coffee free.",
      "Earns 1 stars for each item among the items not in category giftcard, free items included.",
      "Multiplies the stars this event earns by 1.5.",
    ])
  }
}
