import Perk
import Testing

/// `review at start of each quarter, down at most one level` and its forms: read, checked,
/// and refused with a located error when the schedule or the downgrade rule is missing.
@Suite struct TierReviewCheckTests {
  static func source(_ review: String) -> String {
    """
    program "Reviews"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01

    tiers by spend over last 12 months
      bronze  from $0
      gold    from $500  earn x2
    \(review)

    rule base earn
      on purchase
      earn 1 stars per $1 spent
    """
  }

  /// The messages of the diagnostics, each with its 1-based line.
  func messages(_ review: String) -> [String] {
    let text = Self.source(review)
    let compilation = compile(source: text)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return compilation.diagnostics.map { d in
      var offset = 0
      var line = 1
      for l in lines {
        if offset + l.utf8.count >= d.range.start { break }
        offset += l.utf8.count + 1
        line += 1
      }
      return "\(line): \(d.message)"
    }
  }

  @Test(arguments: ["  review at start of each month, down to the qualified level",
                    "  review at start of each quarter, down at most one level",
                    "  review at start of each year, down at most one level",
                    "  review on signup anniversary, down to the qualified level",
                    ""])
  func everyFormIsAccepted(_ review: String) {
    let compilation = compile(source: Self.source(review))
    #expect(compilation.diagnostics.isEmpty, "\(compilation.diagnostics.map(\.message))")
    #expect(compilation.program?.tiers?.review != nil || review.isEmpty)
    #expect(compilation.program?.tiers?.review?.atMostOneLevel == (review.isEmpty ? nil : review.contains("one level")))
  }

  @Test func theDowngradeRuleMustBeStated() {
    #expect(messages("  review at start of each quarter")
            == ["11: expected `,` and the downgrade rule (`down to the qualified level` or `down at most one level`) after the review schedule, found end of line"])
  }

  @Test func anUnknownScheduleIsRefused() {
    #expect(messages("  review at start of each week, down at most one level")
            == ["11: expected `month`, `quarter` or `year` after `review at start of each`, found `week`"])
    #expect(messages("  review on birthday, down at most one level")
            == ["11: expected `signup` after `review on`, found `birthday`"])
  }

  @Test func anUnknownDowngradeRuleIsRefused() {
    #expect(messages("  review on signup anniversary, down two levels")
            == ["11: expected `to the qualified level` or `at most one level` after `down`, found `two`"])
  }

  @Test func aSecondReviewClauseIsADuplicate() {
    let compilation = compile(source: Self.source("""
        review at start of each quarter, down at most one level
        review on signup anniversary, down to the qualified level
      """))
    #expect(compilation.diagnostics.map(\.code.rawValue) == ["E0502"])
    #expect(compilation.diagnostics.first?.message.contains("review") == true)
  }
}
