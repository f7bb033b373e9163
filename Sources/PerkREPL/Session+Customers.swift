import PerkRuntime
import PerkSource

extension Session {
  /// The attribute words of `:customer`.
  static let attributeWords = ["birthday", "signup", "signed up", "segment", "referrer", "referred by", "tier", "timezone"]

  /// `:customer NAME [birthday D] [signup D] [segment S] [referrer N] [tier T] [timezone Z]`.
  mutating func customerCommand(_ argument: String, offset: Int) throws(InputProblem) -> String {
    let tokens = try EventNotation.tokenize(argument).filter { $0.text != "," }
      .map { EventNotation.Token(text: $0.text, span: ($0.span.lowerBound + offset)..<($0.span.upperBound + offset)) }
    guard let nameToken = tokens.first else {
      guard !world.order.isEmpty else { return "no customers yet; `:customer NAME` adds one\n" }
      return world.order.map { name -> String in
        let mark = name == world.current ? "* " : "  "
        return mark + name + profileText(world.accounts[name]?.customer, tier: world.accounts[name]?.startingTier) + "\n"
      }.joined()
    }
    let name = nameToken.text
    var account = world.accounts[name] ?? CustomerAccount(customer: Customer(id: name), state: AccountState())
    let isNew = world.accounts[name] == nil
    var index = 1
    var tierGiven = false
    func value(after key: EventNotation.Token, _ what: String, example: String) throws(InputProblem) -> EventNotation.Token {
      guard index < tokens.count else {
        throw InputProblem("`\(key.text)` needs \(what)", span: key.span, help: "write `\(key.text) \(example)`")
      }
      defer { index += 1 }
      return tokens[index]
    }
    func date(after key: EventNotation.Token) throws(InputProblem) -> LocalDate {
      let token = try value(after: key, "a date", example: "1990-02-14")
      guard let d = LocalDate(iso: token.text) else {
        throw InputProblem("`\(token.text)` is not a date", span: token.span, help: "write dates as `1990-02-14`")
      }
      return d
    }
    while index < tokens.count {
      let key = tokens[index]
      index += 1
      switch key.text.lowercased() {
      case "birthday", "born":
        account.customer.birthday = try date(after: key)
      case "signup", "joined":
        account.customer.signupDate = try date(after: key)
      case "signed" where index < tokens.count && tokens[index].text.lowercased() == "up":
        index += 1
        account.customer.signupDate = try date(after: key)
      case "segment":
        account.customer.segment = try value(after: key, "a segment", example: "student").text
      case "referrer":
        account.customer.referredBy = try value(after: key, "a customer", example: "bob").text
      case "referred" where index < tokens.count && tokens[index].text.lowercased() == "by":
        index += 1
        account.customer.referredBy = try value(after: key, "a customer", example: "bob").text
      case "tier":
        let token = try value(after: key, "a tier", example: program?.tierNames.last ?? "gold")
        guard let program else { throw InputProblem("`tier` needs a program with tiers", span: key.span) }
        guard program.tierNames.contains(token.text) else {
          throw InputProblem("unknown tier `\(token.text)`", span: token.span,
                             help: Suggestions.closest(to: token.text, in: program.tierNames).map { "did you mean `\($0)`?" }
                               ?? (program.tierNames.isEmpty ? "the program has no tiers" : "the tiers are " + program.tierNames.map { "`\($0)`" }.joined(separator: ", ")))
        }
        account.startingTier = token.text
        tierGiven = true
      case "timezone":
        let token = try value(after: key, "a time zone", example: "America/New_York")
        guard let zone = ProgramTimeZone.named(token.text) else {
          throw InputProblem("unknown time zone `\(token.text)`", span: token.span, help: ProgramTimeZone.suggestion(for: token.text))
        }
        account.customer.timeZone = zone
      default:
        throw InputProblem("unknown customer attribute `\(key.text)`", span: key.span,
                           help: Suggestions.closest(to: key.text, in: ["birthday", "signup", "segment", "referrer", "tier", "timezone"])
                             .map { "did you mean `\($0)`?" } ?? "the attributes are `birthday`, `signup`, `segment`, `referrer`, `tier` and `timezone`")
      }
    }
    // After the loop, so that a `timezone` written after `tier` still decides the kept day.
    if tierGiven, let tier = account.startingTier,
       let state = startingState(tier: tier, base: account.state, customer: account.customer) {
      account.state = state
    }
    if isNew { world.order.append(name) }
    world.accounts[name] = account
    world.current = name
    return "\(isNew ? "new customer" : "customer") \(style.name(name))\(profileText(account.customer, tier: account.startingTier)) (current)\n"
  }

  /// `, birthday 1990-02-14, signed up 2025-01-01, segment student`.
  func profileText(_ customer: Customer?, tier: String?) -> String {
    guard let customer else { return "" }
    var parts: [String] = []
    if let b = customer.birthday { parts.append("birthday \(b)") }
    if let s = customer.signupDate { parts.append("signed up \(s)") }
    if let s = customer.segment { parts.append("segment \(s)") }
    if let r = customer.referredBy { parts.append("referred by \(r)") }
    if let tier { parts.append("tier \(tier)") }
    if let zone = customer.timeZone {
      // Kept for a program that asks for it, but said plainly when the loaded one does not.
      parts.append("timezone \(zone.identifier)" + (program?.calendarInCustomerZones == true ? "" : " (ignored: the program answers in its own zone)"))
    }
    return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
  }

  /// An account that holds `tier` from today: the level and those below it are kept for
  /// 12 months (a starting tier is a given fact, not something earned here). "Today" is the
  /// customer's own day when the program answers the calendar in customer time zones.
  func startingState(tier: String, base: AccountState, customer: Customer?, on clock: Instant? = nil) -> AccountState? {
    guard let program, let level = program.tierNames.firstIndex(of: tier) else { return nil }
    var state = base
    state.tier = tier
    let zone = customer.map { program.timeZone(for: $0) } ?? timeZone
    let today = zone.localTime(of: clock ?? world.clock).date
    for name in program.tierNames[...level] { state.tierKeptUntil[name] = today.adding(months: 12) }
    return state
  }

  /// `:use NAME`.
  mutating func use(_ name: String, span: Range<Int>) throws(InputProblem) -> String {
    guard !name.isEmpty else {
      throw InputProblem("`:use` needs a customer", span: 0..<4, help: world.order.isEmpty ? "`:customer NAME` adds one" : "customers: " + world.order.joined(separator: ", "))
    }
    guard world.accounts[name] != nil else {
      throw InputProblem("unknown customer `\(name)`", span: span,
                         help: Suggestions.closest(to: name, in: world.order).map { "did you mean `\($0)`?" } ?? "`:customer \(name)` adds it")
    }
    world.current = name
    return "current customer: \(style.name(name))\n"
  }

  /// The current customer, created as `guest` when the session has none yet.
  mutating func currentAccount() -> (name: String, account: CustomerAccount, created: Bool) {
    if let name = world.current, let account = world.accounts[name] { return (name, account, false) }
    let name = "guest"
    let account = CustomerAccount(customer: Customer(id: name), state: AccountState())
    world.accounts[name] = account
    world.order.append(name)
    world.current = name
    return (name, account, true)
  }
}
