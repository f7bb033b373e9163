import Foundation
import PerkSource
import Testing

@testable import PerkSyntax

/// One source snippet per declaration and clause form of grammar/perk.ebnf, with a fragment that the
/// dumped tree must contain (the AST case the form maps to).
struct FormCase: CustomStringConvertible, Sendable {
  let source: String
  let fragment: String
  var description: String { source.replacingOccurrences(of: "\n", with: " ⏎ ") }
}

let forms: [FormCase] = [
  FormCase(source: "program \"P\"\n  currency EUR\n", fragment: ".currency"),
  FormCase(source: "program \"P\"\n  timezone Europe/Paris\n", fragment: "\"Europe/Paris\""),
  FormCase(source: "points stars\n  worth $0.01\n", fragment: ".worth"),
  FormCase(source: "points stars\n  round down\n", fragment: ".down"),
  FormCase(source: "points stars\n  round up\n", fragment: ".up"),
  FormCase(source: "points stars\n  round half up\n", fragment: ".halfUp"),
  FormCase(source: "points stars\n  round half even\n", fragment: ".halfEven"),
  FormCase(source: "tiers by spend over last 12 months\n  a from $0\n", fragment: ".spend"),
  FormCase(source: "tiers by visits in last 1 year\n  a from 0 visits\n", fragment: ".visits"),
  FormCase(source: "tiers by spend in calendar year\n  a from $0\n", fragment: ".calendar"),
  FormCase(source: "tiers by spend this year\n  a from $0\n", fragment: ".calendar"),
  FormCase(source: "tiers by spend over last 12 calendar months\n  a from $0\n", fragment: ".lastCalendar\n          count: 12\n          unit: .month"),
  FormCase(source: "tiers by visits in last 1 calendar quarter\n  a from 0 visits\n", fragment: "count: 1\n          unit: .quarter"),
  FormCase(source: "tiers by spend or visits not in category giftcard, shipping over last 4 calendar weeks\n  a from $0\n",
           fragment: "negated: true"),
  FormCase(source: "rule r\n  when spend over last 2 calendar years > $5\n", fragment: "unit: .year"),
  FormCase(source: "tiers by spend this year\n  a from $0\n  keep for 12 months\n", fragment: ".keep"),
  FormCase(source: "tiers by spend this year\n  a from $0\n  keep until end of next year\n", fragment: ".keep"),
  FormCase(source: "tiers by spend this year\n  a from $0\n  keep until next anniversary\n", fragment: ".keep"),
  FormCase(source: "stamps card\n  collect 1 per item\n", fragment: ".collect"),
  FormCase(source: "stamps card\n  collect 1 per item on sku A1, \"B 2\"\n", fragment: ".sku"),
  FormCase(source: "stamps card\n  collect 1 per visit\n", fragment: ".collect"),
  FormCase(source: "stamps card\n  every 10 stamps: most expensive item is free\n", fragment: ".every"),
  FormCase(source: "stamps card\n  every 10 stamps: reward free drink\n", fragment: "\"free drink\""),
  FormCase(source: "rule r\n  on purchase\n", fragment: ".purchase"),
  FormCase(source: "rule r\n  on signup\n", fragment: ".signup"),
  FormCase(source: "rule r\n  on event app install\n", fragment: "\"app install\""),
  FormCase(source: "rule r\n  earn 2 stars per whole $1 spent\n", fragment: ".perSpend"),
  FormCase(source: "rule r\n  earn 1 stars per item in category coffee\n", fragment: ".perItem"),
  FormCase(source: "rule r\n  earn 200 stars\n", fragment: ".earn"),
  FormCase(source: "rule r\n  multiply stars by 1.5\n", fragment: ".multiply"),
  FormCase(source: "rule r\n  give voucher \"V\" worth $5 valid for 30 days\n", fragment: ".voucher"),
  FormCase(source: "rule r\n  give reward free drink\n", fragment: "\"free drink\""),
  FormCase(source: "rule r\n  at most once\n", fragment: ".limit"),
  FormCase(source: "rule r\n  at most 3 times per month\n", fragment: ".limit"),
  FormCase(source: "rule r\n  at most once per 365 days\n", fragment: ".limit"),
  FormCase(source: "rule r\n  replaces base earn\n", fragment: ".replaces"),
  FormCase(source: "reward r costs 10 stars\n", fragment: ".costs"),
  FormCase(source: "reward r\n  costs 10 stars\n  worth €5\n", fragment: ".worth"),
  FormCase(source: "rule r\n  when basket total on category tea > 5.00 USD\n", fragment: ".basketTotal"),
  FormCase(source: "rule r\n  when basket items >= 3\n", fragment: ".basketItems"),
  FormCase(source: "rule r\n  when day of month = 1\n", fragment: ".dayOfMonth"),
  FormCase(source: "rule r\n  when time >= 09:00 and time < 11:00\n", fragment: ".time"),
  FormCase(source: "rule r\n  when tier is not gold\n", fragment: ".tier"),
  FormCase(source: "rule r\n  when signup date < 2026-01-01 or true\n", fragment: ".or"),
  FormCase(source: "rule r\n  when segment in vip, staff\n", fragment: ".segment"),
  FormCase(source: "rule r\n  when store not in A, B\n", fragment: ".store"),
  FormCase(source: "rule r\n  when channel = \"web\"\n", fragment: ".channel"),
  FormCase(source: "rule r\n  when days since signup < 30\n", fragment: ".daysSinceSignup"),
  FormCase(source: "rule r\n  when purchases so far is at least 5\n", fragment: ".purchasesSoFar"),
  FormCase(source: "rule r\n  when stars balance is above 100\n", fragment: ".balance"),
  FormCase(source: "rule r\n  when coffee card stamps is below 3\n", fragment: ".stamps"),
  FormCase(source: "rule r\n  when spend this month is at most $100\n", fragment: ".spend"),
  FormCase(source: "rule r\n  when visits over last 30 days >= 2\n", fragment: ".visits"),
  FormCase(source: "rule r\n  when not (date in 2026-12-24, 2026-12-25)\n", fragment: ".not"),
  FormCase(source: "rule r\n  when basket total * 2 - $1 / 2 >= -$3 + 10%\n", fragment: ".multiply"),
]

@Test(arguments: forms) func everyFormParses(_ form: FormCase) {
  let source = SourceFile(path: "t.perk", text: form.source)
  var diagnostics = Diagnostics()
  let syntax = PerkParser.parse(source, diagnostics: &diagnostics)
  #expect(diagnostics.sorted().map(\.message) == [])
  let tree = dump(syntax, source: source)
  #expect(tree.contains(form.fragment), "\(tree)")
  #expect(!tree.contains(".invalid"), "\(tree)")
}
