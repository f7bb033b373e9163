import Foundation
import Perk
@testable import PerkRuntime
import Testing
@testable import PerkSimulator

/// `perk sim` files a planned purchase's awards by number (`FiledAward`), never building the
/// `Award`s an outcome has. For every program in rules/ that has a purchase plan, a year of
/// purchases run both ways must give, award for award, what filing the outcome's awards reads:
/// the source's name, the cost kind and amount (`AwardCost`), and the points by currency —
/// and leave the same account.
@Suite struct FiledAwardTests {
  static var options: EvaluationOptions {
    var options = EvaluationOptions(explanations: false, tillFacts: false)
    options.tallies = true
    options.keepsReturnRecords = false  // as `perk sim` asks for a purchase no return names
    return options
  }

  /// Why a filed award does not say what `award` says; nil when it does.
  static func mismatch(_ filed: FiledAward, _ award: Award, program: Program) -> String? {
    if program.awardSourceName(filed.source) != award.source {
      return "source \(program.awardSourceName(filed.source)) for \(award.source)"
    }
    let cost = AwardCost.costKindIndex(of: award.kind)
    if filed.costKind < 0 ? cost != nil : (cost.map { ($0.kind, $0.minor) } ?? (-1, 0)) != (Int(filed.costKind), filed.costMinor) {
      return "cost \(filed.costKind) \(filed.costMinor) for \(String(describing: cost))"
    }
    if case .points(let currency, let amount, _) = award.kind {
      guard filed.currency >= 0, program.points[Int(filed.currency)].name == currency, filed.points == amount else {
        return "points \(filed.currency) \(filed.points) for \(amount) \(currency)"
      }
    } else if filed.currency != -1 {
      return "currency \(filed.currency) on a \(award.kind) award"
    }
    return nil
  }

  @Test func plannedPurchasesFileWhatTheirOutcomesSay() throws {
    var planned: [String] = []
    var kinds: Set<String> = []
    var periodEnds = 0
    for name in AccountResetTests.names {
      let program = Fixture.load(name)
      guard program.purchasePlan != nil else { continue }
      planned.append(name)
      var outcomeAccount = program.account()
      var filedAccount = program.account()
      var budgets = BudgetLedger()
      let customer = AccountResetTests.customer
      // Two years of the same purchases, so that lots expire and tiers lapse before some of them.
      let year = AccountResetTests.events(for: program).filter { if case .purchase = $0.kind { true } else { false } }
      let later = year.map { Event(kind: .purchase, id: $0.id + "+", time: Instant(secondsSince1970: $0.time.secondsSince1970 + 400 * 86_400), lines: $0.lines) }
      for event in year + later {
        let outcome = try program.evaluate(event, customer: customer, account: &outcomeAccount, budgets: &budgets, options: Self.options)
        let result = try program.purchasePlanned(event, customer: customer, account: &filedAccount, options: Self.options,
                                                 restoresOnError: true)
        guard case .purchased = result else {
          Issue.record("\(name) \(event.id): not run as the plan")
          continue
        }
        let awards = filedAccount.plannedAwards
        periodEnds += awards.periodEnds.count
        #expect(outcome.awards.count == awards.periodEnds.count + awards.filed.count, "\(name) \(event.id)")
        #expect(Array(outcome.awards.prefix(awards.periodEnds.count)) == awards.periodEnds, "\(name) \(event.id)")
        for (filed, award) in zip(awards.filed, outcome.awards.dropFirst(awards.periodEnds.count)) {
          kinds.insert(String(describing: award.kind).prefix { $0 != "(" }.description)
          if let problem = Self.mismatch(filed, award, program: program) { Issue.record("\(name) \(event.id): \(problem)") }
        }
        #expect(program.state(of: outcomeAccount) == program.state(of: filedAccount), "\(name) \(event.id)")
      }
    }
    #expect(planned.count >= 5, "programs with a plan: \(planned)")
    #expect(periodEnds > 0, "no period end ran before a planned purchase")
    // The programs' purchases gave every kind of award a plan gives.
    #expect(kinds.isSuperset(of: ["points", "stamps", "freeItem", "voucher", "tierChange"]), "\(kinds.sorted())")
  }

  /// The ledger files a source number under its name, once: numbers of sources with the same
  /// name (a card named as a rule is) share it.
  @Test func aFiledSourceIsTheSourceOfItsName() throws {
    let program = Fixture.load("cafe")
    var ledger = FigureLedger(program: program)
    ledger.prepare()
    let tiers = Int32(program.rules.count + program.cards.count)
    let byName = ledger.source("tiers")
    #expect(ledger.source(filed: tiers) == byName)
    #expect(ledger.source(filed: 0) == ledger.source(program.rules[0].name))
    #expect(ledger.source(filed: 0) != byName)
    #expect(program.awardSourceName(Int32(program.rules.count)) == program.cards[0].name)
  }
}
