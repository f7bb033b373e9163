/// Stable identifiers for every diagnostic Perk can emit.
///
/// Codes are grouped by stage: `E01xx` lexical, `E02xx` syntax, `E03xx` names,
/// `E04xx` units, `E05xx` program semantics, `W01xx` warnings. Never renumber a code
/// and never reuse a retired one: add new codes at the end of their group.
/// Every code is documented with an example in `docs/diagnostics.md`.
public enum DiagnosticCode: String, CaseIterable, Sendable, Codable {
  // MARK: Lexical (E01xx)

  /// A character that cannot start any token.
  case invalidCharacter = "E0101"
  /// A string literal with no closing quote on its line.
  case unterminatedString = "E0102"
  /// A number with a misplaced separator or decimal point.
  case malformedNumber = "E0103"
  /// A money literal without digits, with bad digit grouping, or with too many decimals.
  case malformedMoney = "E0104"
  /// A date that does not exist, such as `2026-02-30`.
  case malformedDate = "E0105"
  /// A time of day that does not exist, such as `25:00`.
  case malformedTime = "E0106"
  /// Bytes that are not valid UTF-8.
  case invalidUTF8 = "E0107"
  /// An unknown escape sequence in a string.
  case invalidEscape = "E0108"
  /// A literal too large to represent exactly.
  case literalTooLarge = "E0109"

  // MARK: Syntax (E02xx)

  /// The parser expected one thing and found another.
  case expectedToken = "E0201"
  /// A line at column 1 that does not start a declaration.
  case unknownDeclaration = "E0202"
  /// A clause line that starts with a word this declaration does not know.
  case unknownClause = "E0203"
  /// Parentheses or operators nested deeper than the parser allows.
  case nestingTooDeep = "E0204"
  /// A `(` without its `)`.
  case unclosedParenthesis = "E0205"
  /// A declaration without its name.
  case missingName = "E0206"
  /// A place that needs an expression holds none.
  case expectedExpression = "E0207"
  /// An indented line that belongs to no declaration.
  case unexpectedIndentation = "E0208"
  /// Text left over at the end of a clause.
  case unexpectedTrailingText = "E0209"
  /// A `discount` without what it applies to (`on basket`, `on category …`, `per item`).
  case missingDiscountTarget = "E0212"
  /// A `buy N … pay for M` deal without its `pay for` part.
  case incompleteDeal = "E0213"
  /// A voucher or reward addressed to the referrer; only points can go to another account.
  case referrerNeedsPoints = "E0214"
  /// A rebate bracket line (`from €10,000 2%`) with no `retroactive` or `incremental` line above it.
  case bracketWithoutMode = "E0216"
  /// A fiscal year start that is not a day of every year, such as `February 29` or `April 31`.
  case invalidFiscalYearStart = "E0217"
  /// A line in a `test` that is not a `customer`, `on` or `expect` line.
  case unknownTestStep = "E0218"
  /// An event or expectation verb a test does not know, such as `buy` for `buys`.
  case unknownTestVerb = "E0219"
  /// A reward priced in money (`costs $1.50`): a reward costs points.
  case rewardCostInMoney = "E0220"

  // MARK: Names (E03xx)

  /// A tier name that no `tiers` declaration declares.
  case unknownTier = "E0301"
  /// A points currency that no `points` declaration declares.
  case unknownPointsCurrency = "E0302"
  /// A stamp card that no `stamps` declaration declares.
  case unknownStampCard = "E0303"
  /// A rule name that no `rule` declaration declares.
  case unknownRule = "E0304"
  /// A reward that no `reward` declaration declares.
  case unknownReward = "E0305"
  /// Two declarations of the same kind with the same name.
  case duplicateDeclaration = "E0306"
  /// A name in an expression that is no quantity Perk knows.
  case unknownQuantity = "E0307"
  /// A currency code that Perk does not know.
  case unknownCurrency = "E0308"
  /// A time zone identifier that does not exist.
  case unknownTimeZone = "E0309"
  /// An anniversary other than `signup anniversary`.
  case unknownAnniversary = "E0316"
  /// `earn … for NAME` where NAME is not `referrer`.
  case unknownRecipient = "E0317"
  /// A rebate name that no `rebate` declaration declares.
  case unknownRebate = "E0319"
  /// A test line naming a customer the test has not declared with `customer`.
  case unknownCustomer = "E0322"
  /// A test return from a transaction label no earlier purchase of the test carries.
  case unknownTransactionLabel = "E0323"
  /// A customer declared twice in one test.
  case duplicateCustomer = "E0324"
  /// A transaction label used twice in one test.
  case duplicateTransactionLabel = "E0325"
  /// A category or SKU missing from the program's `categories` or `skus` list.
  case unknownItemName = "E0326"

  // MARK: Units (E04xx)

  /// Adding or subtracting values of different units, such as money and points.
  case mismatchedUnits = "E0401"
  /// Comparing values that cannot be compared, such as a date with money.
  case invalidComparison = "E0402"
  /// Multiplying two values that both carry a unit, such as money by money.
  case invalidMultiplication = "E0403"
  /// A condition that is not true or false.
  case nonBooleanCondition = "E0404"
  /// A money amount in a currency other than the program's.
  case currencyMismatch = "E0405"
  /// A clause argument of the wrong unit, such as `worth 5` where money is needed.
  case wrongUnit = "E0406"
  /// A division that cannot be computed exactly or divides by zero.
  case invalidDivision = "E0407"

  // MARK: Program semantics (E05xx)

  /// A file set without a `program` declaration.
  case missingProgram = "E0501"
  /// A clause given twice where only one is allowed.
  case duplicateClause = "E0502"
  /// A declaration without a clause it needs.
  case missingClause = "E0503"
  /// A tier threshold that is not above the previous tier's.
  case invalidTierOrder = "E0504"
  /// A rule without an `on` trigger.
  case missingTrigger = "E0505"
  /// A rule that does nothing.
  case missingEffect = "E0506"
  /// A limit that can never allow an award, such as `at most 0 times`.
  case invalidLimit = "E0507"
  /// A number outside the range a clause accepts, such as `every 0 stamps`.
  case valueOutOfRange = "E0508"
  /// More than one `program` declaration.
  case duplicateProgram = "E0509"
  /// A rule that replaces itself, or replaces a rule that earns nothing per spend.
  case invalidReplacement = "E0510"
  /// Points that can expire before their hold ends, such as `expire 7 days after earning` with `hold 14 days`.
  case expiryShorterThanHold = "E0511"
  /// A reward that costs more points than any customer can ever hold.
  case unaffordableReward = "E0512"
  /// A cap of zero, which would take away every point it covers.
  case zeroCap = "E0515"
  /// A percent discount above 100%.
  case discountOverWhole = "E0516"
  /// A group used both with `group` (priority picks) and `best of` (value picks).
  case conflictingGroupMode = "E0517"
  /// A `buy N pay for M` deal that frees nothing or everything.
  case invalidDeal = "E0518"
  /// A budget of zero, which never lets the rule fire.
  case zeroBudget = "E0519"
  /// `reaches` on a quantity the event does not add to, such as `tier`.
  case invalidReaches = "E0520"
  /// A trigger duration in months or years where days or weeks are needed.
  case triggerDurationUnit = "E0521"
  /// Points for the referrer computed per spend or per item instead of a flat amount.
  case referrerPointsNotFlat = "E0522"
  /// A hold on a rule that is not triggered by a purchase, so no return can end it.
  case holdWithoutPurchase = "E0523"
  /// A card's `every` in the wrong unit: money on a card that collects spend, a count otherwise.
  case cardThresholdUnit = "E0524"
  /// Rebate brackets whose thresholds do not increase, or a `below` bracket that is not first.
  case invalidBracketOrder = "E0525"
  /// A rebate rate below 0% or above 100%.
  case rebateRateOutOfRange = "E0526"
  /// A rebate settled more often than the period it measures, such as quarterly settlement of a yearly volume.
  case settlementShorterThanMeasure = "E0527"
  /// A growth rebate compared with a period other than the one it measures.
  case growthPeriodMismatch = "E0528"
  /// A `from` bracket that does not start where the `below` bracket ends.
  case bracketGap = "E0529"
  /// A test event dated before the event above it.
  case eventOutOfOrder = "E0530"
  /// An expectation about awards with no event before it, or after another customer's event.
  case expectationWithoutEvent = "E0531"
  /// A test return of items the original purchase did not have (or already returned).
  case invalidReturn = "E0532"
  /// Stamps named without a card in a program with several cards.
  case ambiguousStampCard = "E0533"
  /// A test step the program cannot take part in, such as a tier expectation without tiers.
  case unsupportedTestStep = "E0534"
  /// `on return …` on a rule that does not run on purchases (only a purchase can be returned).
  case returnPolicyWithoutPurchase = "E0535"
  /// A rounding unit (`to the cent`, `to whole units`) where points are rounded: points are whole.
  case roundingUnitOnPoints = "E0536"
  /// A `round` clause with nothing to round, such as on a rule whose only earning is a flat bonus.
  case roundingWithoutAmount = "E0537"
  /// A rounding unit the currency cannot express, such as `to the cent` in yen.
  case roundingUnitTooSmall = "E0538"
  /// Two `multiply` rules of one points currency that state different roundings.
  case conflictingRounding = "E0539"
  /// A window of whole calendar periods that is empty (`last 0 calendar months`) or counts
  /// days (`last 7 calendar days`: a day is already a calendar period).
  case invalidCalendarWindow = "E0540"
  /// A `perk test` customer's `timezone` that is not an IANA time zone.
  case unknownCustomerTimeZone = "E0541"
  /// A `perk test` customer with a `timezone` in a program that answers every calendar question
  /// in its own zone (no `calendar in customer time zones`): the zone would be ignored.
  case customerTimeZoneIgnored = "E0542"
  /// A message placeholder Perk does not know, or a `{` with no `}`.
  case unknownPlaceholder = "E0556"
  /// A message placeholder that has no value in its rule (`{voucher}` in a rule that gives none).
  case placeholderWithoutValue = "E0557"
  /// `send message … via` a channel that is not `email`, `sms`, `push` or `receipt`.
  case unknownChannel = "E0558"
  /// `on N days before POINTS expire` for points that never expire.
  case invalidContactTrigger = "E0559"
  /// `via receipt` on a rule that runs at a period end, when there is no receipt to print on.
  case receiptWithoutPurchase = "E0560"
  /// `quiet hours 9:00 to 9:00`: a window that is empty (or the whole day).
  case emptyQuietHours = "E0561"

  // MARK: Warnings (W01xx)

  /// A points currency that nothing earns or spends.
  case unusedPointsCurrency = "W0101"
  /// A rule whose condition can never be true.
  case ruleNeverFires = "W0102"
  /// Tiers that no rule, condition or multiplier reads.
  case unusedTiers = "W0103"
  /// A reward whose cost is in a currency that nothing earns.
  case unusedReward = "W0104"
  /// A condition that is always true.
  case redundantCondition = "W0105"
  /// A rule in an exclusive group that can never be chosen.
  case unreachableInGroup = "W0108"
  /// A group with a single rule, which has nothing to choose between.
  case singleRuleGroup = "W0109"
  /// `at most once per year` on a birthday or anniversary window, which can pay twice
  /// when the window crosses 1 January.
  case calendarLimitOnDateWindow = "W0110"
  /// Points for the referrer in a rule that does not require `referred`.
  case referrerNotRequired = "W0111"
  /// A rebate whose every rate is 0%: it never pays.
  case rebateNeverPays = "W0112"
  /// Rebate statements that are no more frequent than its settlements.
  case redundantStatement = "W0113"
  /// A test with no `expect` line: it can never fail.
  case testWithoutExpectations = "W0114"
  /// A test's custom event that no rule reacts to.
  case unhandledTestEvent = "W0115"
  /// A category or SKU written once that is probably a typo of another one the program uses.
  case similarItemName = "W0116"
  /// A rule whose dates all lie before the `perk check --as-of` date: it can no longer fire.
  case ruleWindowClosed = "W0117"
  /// Two rules with the same clauses, which pay twice.
  case identicalRules = "W0118"
  /// A rule that another rule's `replaces` takes over entirely, so it never pays.
  case ruleReplacedEntirely = "W0119"
  /// Two price promotions on the same items with no stated stacking (`group`, `best of`, `priority`).
  case overlappingPromotions = "W0120"
  /// A condition on a points balance above the most any customer can ever hold.
  case balanceOutOfReach = "W0121"
  /// A rule that pays only on items its own condition keeps out of the basket.
  case excludedItems = "W0122"
  /// A condition on more visits than the window has days.
  case visitsOutOfReach = "W0123"
  /// A `tiers by visits` level that needs more visits than the window has days.
  case tierOutOfReach = "W0124"

  /// The severity of diagnostics with this code.
  public var severity: Severity { rawValue.hasPrefix("W") ? .warning : .error }
}
