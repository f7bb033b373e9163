import Foundation
import Testing

@testable import PerkRuntime

@Test func rebateAwardsRenderAsJSON() {
  let eur = Currency.named("EUR")!
  let award = Award(
    kind: .rebate(RebateAward(phase: .settlement, rebate: "annual volume", periodStart: LocalDate(iso: "2026-01-01")!,
                              periodEnd: LocalDate(iso: "2026-12-31")!, volume: Money(minorUnits: 1_100_000, currency: eur),
                              amount: Money(minorUnits: 22_000, currency: eur), rate: ExactDecimal(significand: 2, scale: 2),
                              nextThreshold: Money(minorUnits: 5_000_000, currency: eur))),
    source: "annual volume", location: nil, explanation: "settled")
  let text = award.json.rendered()
  for fragment in ["\"kind\": \"rebate\"", "\"phase\": \"settlement\"", "\"rebate\": \"annual volume\"",
                   "\"period_start\": \"2026-01-01\"", "\"period_end\": \"2026-12-31\"", "\"volume_minor\": 1100000",
                   "\"value_minor\": 22000", "\"rate\": \"0.02\"", "\"next_threshold_minor\": 5000000"] {
    #expect(text.contains(fragment), "\(fragment) in \(text)")
  }
}

@Test func rebateAccountsSurviveJSONAndStayOutOfStatesWithoutRebates() throws {
  var state = AccountState()
  var account = RebateAccount()
  account.slices = [.init(start: LocalDate(iso: "2026-01-01")!, volume: 5)]
  account.lastSettled = .init(start: LocalDate(iso: "2025-01-01")!, volume: -3)
  account.firstActivity = LocalDate(iso: "2025-02-01")
  account.processedThrough = LocalDate(iso: "2026-02-02")
  account.purchases = ["T1": .init(slice: LocalDate(iso: "2026-01-01")!, amount: 5)]
  state.rebates["annual volume"] = account
  let encoder = JSONEncoder()
  let decoded = try JSONDecoder().decode(AccountState.self, from: encoder.encode(state))
  #expect(decoded.rebates == state.rebates)
  let plain = String(decoding: try encoder.encode(AccountState()), as: UTF8.self)
  #expect(!plain.contains("rebates"))
}

@Test func recomputedRefundsKeepEachLinesShare() {
  let lines: [(sku: String, category: String, refundMinor: Int64)] = [("a", "x", 300), ("b", "y", 100)]
  #expect(EvaluationRun.rebateRefunds(lines, recomputedTotal: 400).map(\.refundMinor) == [300, 100])
  #expect(EvaluationRun.rebateRefunds(lines, recomputedTotal: 200).map(\.refundMinor) == [150, 50])
  #expect(EvaluationRun.rebateRefunds(lines, recomputedTotal: 101).map(\.refundMinor) == [75, 26])
  #expect(EvaluationRun.rebateRefunds([("a", "x", 0)], recomputedTotal: 50).map(\.refundMinor) == [0, 50])
}
