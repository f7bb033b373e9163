/// Every word the parser reads as a keyword: the one table the parser's word lists, the help
/// texts, the REPL's and the language server's completion, `perk fmt` and the editors'
/// highlighting grammar are made from.
///
/// Keywords are contextual (the lexer yields them as `.word` tokens and a rule may be named
/// `double star tuesday`), so this is a list of words, not of reserved names. A test reads the
/// parser's sources and fails when the parser reads a word that is not here, or when a word here
/// is no longer read.
package enum Keyword: String, CaseIterable, Sendable {
  case a
  case above
  case accrues
  case across
  case activity
  case after
  case allow
  case am
  case amounts
  case and
  case anniversary
  case `as`
  case at
  case attribute
  case back
  case balance
  case basket
  case before
  case below
  case best
  case birthday
  case budget
  case buy
  case buys
  case by
  case calendar
  case cap
  case carried
  case categories
  case category
  case cent
  case channel
  case cheapest
  case clawed
  case closest
  case collect
  case collects
  case consent
  case costs
  case counting
  case currency
  case customer
  case date
  case day
  case days
  case dearest
  case difference
  case discount
  case discounts
  case down
  case each
  case earn
  case earning
  case earns
  case end
  case even
  case event
  case every
  case excess
  case expect
  case expensive
  case expire
  case expiring
  case expiry
  case `false`
  case far
  case first
  case fiscal
  case `for`
  case forgiven
  case forward
  case free
  case from
  case gets
  case give
  case group
  case groups
  case growth
  case half
  case has
  case held
  case hold
  case hours
  case `in`
  case include
  case incremental
  case `is`
  case item
  case items
  case keep
  case last
  case least
  case level
  case loses
  case losing
  case lost
  case measure
  case message
  case messages
  case month
  case most
  case moves
  case multiply
  case negative
  case net
  case never
  case next
  case no
  case not
  case nothing
  case of
  case oldest
  case on
  case once
  case one
  case or
  case over
  case passes
  case pay
  case paying
  case pays
  case pending
  case per
  case pm
  case points
  case priority
  case program
  case purchase
  case purchases
  case qualified
  case quarter
  case quiet
  case reaches
  case reaching
  case rebate
  case redeems
  case referred
  case referrer
  case refunded
  case rejected
  case released
  case replaces
  case replays
  case retroactive
  case `return`
  case returns
  case review
  case reward
  case round
  case rule
  case saves
  case segment
  case send
  case sent
  case settle
  case short
  case signed
  case signs
  case signup
  case since
  case sku
  case skus
  case so
  case spend
  case spends
  case spent
  case stamp
  case stamps
  case start
  case starting
  case statement
  case statements
  case store
  case streak
  case take
  case tax
  case test
  case the
  case this
  case those
  case thresholds
  case tier
  case tiers
  case time
  case times
  case timezone
  case to
  case told
  case total
  case transaction
  case triggers
  case `true`
  case units
  case until
  case up
  case valid
  case via
  case visit
  case visits
  case voucher
  case week
  case weekday
  case when
  case whole
  case with
  case within
  case without
  case worth
  case x
  case year
  case zero
  case zones

  /// The words that open a declaration at column 1.
  package static let declarations: [Keyword] = [.program, .points, .tiers, .stamps, .rule, .reward, .rebate, .test]

  /// The words that open a line of a `test` block.
  package static let testSteps: [Keyword] = [.customer, .on, .expect]

  /// The verbs of a test's event line (`on DATE alice buys …`).
  package static let testEvents: [Keyword] = [.buys, .returns, .redeems, .signs, .triggers, .replays]

  /// The verbs of a test's expectation (`expect alice earns …`), in the order help lists them.
  package static let testClaims: [Keyword] = [
    .earns, .loses, .spends, .saves, .gets, .collects, .moves, .pays, .has, .is, .accrues,
  ]

  /// How a verb is written in help and completion: the claims `moves` and `is` take a fixed
  /// word after them, the event `signs` too.
  package var phrase: String {
    switch self {
    case .moves: return "moves to tier"
    case .is: return "is rejected"
    case .signs: return "signs up"
    default: return rawValue
    }
  }

  /// Whether `word` is a keyword, in any letter case (the parser ignores case).
  package static func contains(_ word: String) -> Bool { Keyword(rawValue: word.lowercased()) != nil }

  /// `a`, `b` or `c`, each in backquotes: how help texts list keywords.
  package static func list(_ phrases: [String], conjunction: String = "or") -> String {
    let quoted = phrases.map { "`\($0)`" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted[quoted.count - 1]
  }
}
