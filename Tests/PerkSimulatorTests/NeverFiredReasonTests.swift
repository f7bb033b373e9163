import Foundation
import Perk
import PerkTestSupport
@testable import PerkSimulator
import Testing

/// Why a rule never fired: the reason the evaluator most often decided, counted per rule.
@Suite struct NeverFiredReasonTests {
  static let source = """
    program "Reasons"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    rule base earn
      on purchase
      earn 1 stars per $1 spent

    rule whale
      on purchase
      when basket total >= $100,000
      earn 500 stars

    rule double once
      on purchase
      multiply stars by 2
      at most once

    rule referral bonus
      on event referral
      earn 50 stars

    rule birthday gift
      on birthday
      earn 100 stars

    """
  static let program = compile(source: source, path: "reasons.perk").program!

  /// 40 café customers (39 of them buy) over 3 months, seeded; no custom events, no birthdays.
  static let history = Fixture.bytes(String(decoding: HistoryGenerator(customers: 40, months: 3, seed: 7, shape: .cafe).bytes(),
                                            as: UTF8.self))

  /// A reason's key, count and text.
  func fields(_ reason: NeverFiredReason?) -> [String]? {
    reason.map { [$0.key, $0.count.map { String($0) } ?? "nil", $0.text] }
  }

  @Test func eachRuleThatNeverFiredGetsItsMostFrequentReason() throws {
    let result = try Fixture.simulate(Self.history, program: Self.program)
    let purchases = result.figures.purchases
    let buyers = Int64(result.customers.count)
    #expect(purchases == 422)
    #expect(buyers == 39)
    // `double once` multiplies `base earn`'s award (no award under its own name) once per
    // customer; the limit stops it on every later purchase.
    #expect(result.figures.ruleTallies["double once"] == ["fired": buyers, "limit_reached": purchases - buyers])
    #expect(result.figures.ruleTallies["whale"] == ["condition_false": purchases])
    #expect(result.figures.ruleTallies["referral bonus"] == nil)
    // A multiplying rule that the evaluator let fire did fire, though its points are `base earn`'s.
    #expect(result.rulesNeverFired == ["whale", "referral bonus", "birthday gift"])
    let reasons = result.neverFiredReasons
    #expect(fields(reasons["whale"]) == ["condition_false", "422", "its condition never held: 422 purchases"])
    #expect(reasons["double once"] == nil)
    #expect(fields(reasons["referral bonus"]) == ["no_event", "nil", "no `referral` events in the history"])
    #expect(reasons["birthday gift"]?.key == "not_counted")
    #expect(result.warnings.last == "rules that never fired: `whale` (its condition never held: 422 purchases), "
      + "`referral bonus` (no `referral` events in the history), "
      + "`birthday gift` (it runs at period ends, whose decisions are not counted)")
  }

  @Test func aRuleThatFiredWithoutAnAwardSaysSoAndAMultiplierThatFiredIsNotListed() throws {
    let program = compile(source: """
      program "Multiplier"
        currency USD
        timezone America/New_York

      points stars
        worth $0.01

      rule base earn
        on purchase
        earn 1 stars per $1 spent

      rule always double
        on purchase
        multiply stars by 2

      rule tea points
        on purchase
        earn 5 stars per $1 spent on category teas

      """, path: "multiplier.perk").program!
    let result = try Fixture.simulate(Self.history, program: program)
    // `teas` is no category of the history: the rule fires on every purchase and earns nothing.
    #expect(result.neverFiredReasons["tea points"]
      .map(fields) == ["fired_without_award", "422", "it fired but gave nothing: 422 purchases"])
    // A multiplying rule gives its points under the rule it multiplies: firing is what counts.
    #expect(!result.rulesNeverFired.contains("always double"))
  }

  @Test func theReasonsAreTheSameForAnyThreadsAndThroughShardReports() throws {
    let settings = ReportSettings()
    let one = try Fixture.simulate(Self.history, program: Self.program, threads: 1)
    let two = try Fixture.simulate(Self.history, program: Self.program, threads: 2, partitions: 3)
    let single = JSONReport.render(one, settings: settings, compare: nil, sweep: [])
    #expect(JSONReport.render(two, settings: settings, compare: nil, sweep: []) == single)
    #expect(TextReport.render(two, settings: settings) == TextReport.render(one, settings: settings))
    #expect(single.contains("""
          "whale": {
            "count": 422,
            "reason": "condition_false",
            "text": "its condition never held: 422 purchases"
          }
      """))
    var parts: [SimulationResult] = []
    for k in 0..<2 {
      let shard = try Fixture.simulate(Self.history, program: Self.program, shard: (k, 2))
      // A shard warns of nothing: it sees only some customers.
      #expect(shard.warnings.isEmpty)
      let json = JSONReport.render(shard, settings: settings, compare: nil, sweep: [])
      parts.append(try JSONReport.decode(Array(json.utf8), path: "s\(k).json").0)
    }
    let merged = try ShardMerge.merge(parts)
    #expect(merged.neverFiredReasons == one.neverFiredReasons)
    #expect(JSONReport.render(merged, settings: settings, compare: nil, sweep: []) == single)
  }

  /// With the program's budgets applied every customer is alive at once and evaluates on copies
  /// of its account: the counts are the same.
  @Test func theCountsAreTheSameWithBudgetsApplied() throws {
    let budgeted = try #require(compile(source: Self.source.replacingOccurrences(
      of: "  timezone America/New_York\n", with: "  timezone America/New_York\n  budget $1,000,000 per month\n"),
      path: "budgeted.perk").program)
    let plain = try Fixture.simulate(Self.history, program: Self.program)
    let applied = try Fixture.simulate(Self.history, program: budgeted)
    #expect(applied.appliedBudgets.count == 1)
    #expect(applied.figures.ruleTallies == plain.figures.ruleTallies)
    #expect(applied.figures.ruleTallies["whale"] == ["condition_false": 422])
  }

  /// An event the program refuses with an error makes the simulator rebuild the account: the
  /// counts of the events before it are kept, and the refused event adds none.
  @Test func anEventRefusedWithAnErrorKeepsTheCountsBeforeIt() throws {
    let history = Fixture.bytes("""
      customer,txn,time,sku,category,qty,unit_price,type,orig_txn
      c1,t1,2026-03-02T10:00:00,latte,coffee,1,4.50,purchase,
      c1,t2,2026-03-03T10:00:00,latte,coffee,2000000,4.50,purchase,
      c1,t3,2026-03-04T10:00:00,latte,coffee,1,4.50,purchase,

      """)
    let result = try Fixture.simulate(history, program: Self.program)
    #expect(result.figures.rejectedEvents == 1)
    #expect(result.figures.ruleTallies["whale"] == ["condition_false": 2])
    #expect(result.figures.ruleTallies["double once"] == ["fired": 1, "limit_reached": 1])
    #expect(result.neverFiredReasons["whale"].map(fields) == ["condition_false", "2", "its condition never held: 2 purchases"])
  }

  /// A report written before reasons were given still merges: the rules are named without one.
  @Test func aReportWithoutTalliesMergesWithoutReasons() throws {
    let one = try Fixture.simulate(Self.history, program: Self.program)
    var json = JSONReport.render(one, settings: ReportSettings(), compare: nil, sweep: [])
    for key in ["rule_triggers", "rule_tallies", "rules_never_fired_reasons"] {
      let start = try #require(json.range(of: "\"\(key)\": "))
      // Each is an array or object on its own lines: cut from its key to its closing line.
      let close = json[start.upperBound] == "[" ? "]" : "}"
      let indent = String(json[json[..<start.lowerBound].lastIndex(of: "\n")!..<start.lowerBound].dropFirst())
      let end = try #require(json.range(of: "\n\(indent)\(close)", range: start.upperBound..<json.endIndex))
      var cut = start.lowerBound..<end.upperBound
      if json[end.upperBound] == "," { cut = start.lowerBound..<json.index(after: end.upperBound) }
      json.removeSubrange(cut)
    }
    let (old, _) = try JSONReport.decode(Array(json.utf8), path: "old.json")
    #expect(old.neverFiredReasons.isEmpty)
    #expect(old.warnings.last == "rules that never fired: `whale`, `double once`, `referral bonus`, `birthday gift`")
  }
}
