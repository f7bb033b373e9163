import PerkSource

extension Parser {
  /// The words that start a declaration at column 1.
  static let declarationKeywords = Keyword.declarations.map(\.rawValue)

  /// Parses a whole file.
  ///
  ///     file = { NEWLINE } { declaration } ;
  mutating func parseFile() -> SourceFileSyntax {
    var declarations: [Declaration] = []
    while current.kind != .endOfFile {
      let start = index
      if current.kind == .newline {
        advance()
        continue
      }
      if current.indentation > 0 {
        report(.unexpectedIndentation, "indented line does not belong to any declaration", at: rangeToLineEnd(),
               help: "clauses go under a declaration such as `rule NAME`; start declarations at column 1")
        // One error for the whole indented block: the lines after it are the same mistake.
        skipDeclaration()
        continue
      }
      declarations.append(parseDeclaration())
      nestingOverflowed = false
      depth = 0
      if index == start { skipLine() }  // progress guard
    }
    return SourceFileSyntax(declarations: declarations, range: SourceRange(file: file.id, start: 0, end: file.bytes.count),
                            itemFilters: itemFilters)
  }

  /// Parses one declaration.
  ///
  ///     declaration = program-decl | points-decl | tiers-decl | stamps-decl
  ///                 | rule-decl | reward-decl | test-decl ;
  mutating func parseDeclaration() -> Declaration {
    let keyword = current
    switch keyword.kind == .word ? keyword.text.lowercased() : "" {
    case "program": return parseProgram()
    case "points": return parsePoints()
    case "tiers": return parseTiers()
    case "stamps": return parseStamps()
    case "rule": return parseRule()
    case "reward": return parseReward()
    case "rebate": return parseRebate()
    case "test": return parseTest()
    default:
      if keyword.kind != .invalid {
        let word = keyword.kind == .word ? keyword.text : ""
        let suggestion = Suggestions.closest(to: word.lowercased(), in: Parser.declarationKeywords)
        // A clause word at column 1 (`earn 2 stars` under a `points` declaration) lost its indentation.
        let clause = startsClause(Parser.ruleClauseKeywords) ? "indent this clause under the declaration it belongs to" : nil
        report(.unknownDeclaration, "expected a declaration, found \(keyword.phrase)", at: keyword.range,
               label: "declarations start at column 1",
               help: suggestion.map { "did you mean `\($0)`?" } ?? clause
                 ?? "a declaration starts with `program`, `points`, `tiers`, `stamps`, `rule`, `reward`, `rebate` or `test`")
      }
      skipDeclaration()
      return .invalid(keyword.range)
    }
  }

  /// Parses the indented clause lines under a declaration header.
  ///
  /// A line at column 1 that starts with one of `keywords` (the declaration's clause words) is
  /// reported once, with a hint to indent it, and read as a broken clause of this declaration:
  /// the declaration then does not also lack the clause, and the line reports nothing else
  /// (one mistake, one error).
  mutating func parseClauseLines<Clause>(keywords: [String] = [], _ parseClause: (inout Parser) -> Clause) -> [Clause] {
    var clauses: [Clause] = []
    while current.kind != .endOfFile, !atDeclarationStart || startsClause(keywords) {
      if current.kind == .newline { advance(); continue }
      if atDeclarationStart {
        report(.unknownDeclaration, "expected a declaration, found \(current.phrase)", at: current.range,
               label: "declarations start at column 1", help: "indent this clause under the declaration above it")
      }
      let start = index
      clauses.append(parseClause(&self))
      if index == start { skipLine() }  // progress guard
    }
    return clauses
  }

  /// Parses a program declaration.
  ///
  ///     program-decl = "program" STRING NEWLINE { INDENT program-clause NEWLINE } ;
  mutating func parseProgram() -> Declaration {
    let keyword = advance()
    var name = Located("", range: current.range)
    if case .string(let text) = current.kind {
      name = Located(text, range: advance().range)
    } else if current.kind == .word {
      let words = parseName(stoppingAt: [])
      report(.expectedToken, "expected the program's name in quotes, found \(words.map { "`\($0.text)`" } ?? current.phrase)",
             at: words?.range ?? current.range, help: "write `program \"\(words?.text ?? "My Rewards")\"`")
      name = Located(words?.text ?? "", range: words?.range ?? keyword.range)
    } else {
      report(.missingName, "`program` needs a name in quotes", at: current.range,
             help: "write `program \"My Rewards\"`")
    }
    finishLine("the program name")
    let clauses = parseClauseLines { parser in parser.parseProgramClause() }
    return .program(ProgramDeclaration(name: name, clauses: clauses, keywordRange: keyword.range,
                                       range: keyword.range.union(tokens[max(0, index - 1)].range)))
  }

  /// Parses a points declaration.
  ///
  ///     points-decl = "points" name NEWLINE { INDENT points-clause NEWLINE } ;
  mutating func parsePoints() -> Declaration {
    let keyword = advance()
    guard let name = requireName(for: "points", example: "points stars") else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    finishLine("the points name")
    let clauses = parseClauseLines { parser in parser.parsePointsClause() }
    return .points(PointsDeclaration(name: name, clauses: clauses, range: keyword.range.union(name.range)))
  }

  /// Parses a tiers declaration.
  ///
  ///     tiers-decl = "tiers" "by" measure [ item-filter ] window NEWLINE { INDENT tiers-clause NEWLINE } ;
  ///     measure    = "spend" [ "or" "visits" ] | "visits" ;
  mutating func parseTiers() -> Declaration {
    let keyword = advance()
    guard expect("by", after: "`tiers`") != nil else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    let measureStart = current
    let measure: TierMeasureSyntax
    if consume("spend") != nil {
      if at("or"), isWord(peek(), "visits") {
        advance(); advance()
        measure = .spendOrVisits
      } else {
        measure = .spend
      }
    } else if consume("visits") != nil {
      measure = .visits
    } else {
      expected("`spend` or `visits`", after: "`tiers by`")
      skipDeclaration()
      return .invalid(keyword.range)
    }
    let filter = parseItemFilter()
    let measureRange = range(from: measureStart)
    let windowStart = current
    // `spend not in category giftcard or visits`: the filter is read as the whole measure's.
    let context = filter != nil && at("or") ? "the filter (it follows the whole measure: `tiers by spend or visits not in category …`)"
      : "`tiers by \(measure.rawValue)`"
    guard let window = parseWindow(after: context) else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    let windowRange = range(from: windowStart)
    finishLine("the tiers header")
    let clauses = parseClauseLines { parser in parser.parseTiersClause() }
    return .tiers(TiersDeclaration(measure: Located(measure, range: measureRange), window: Located(window, range: windowRange),
                                   clauses: clauses, range: keyword.range.union(windowRange), filter: filter))
  }

  /// Parses a stamps declaration.
  ///
  ///     stamps-decl = "stamps" name NEWLINE { INDENT stamps-clause NEWLINE } ;
  mutating func parseStamps() -> Declaration {
    let keyword = advance()
    guard let name = requireName(for: "stamps", example: "stamps coffee card") else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    finishLine("the stamp card name")
    let clauses = parseClauseLines { parser in parser.parseStampsClause() }
    return .stamps(StampsDeclaration(name: name, clauses: clauses, range: keyword.range.union(name.range)))
  }

  /// Parses a rule declaration.
  ///
  ///     rule-decl = "rule" name NEWLINE { INDENT rule-clause NEWLINE } ;
  mutating func parseRule() -> Declaration {
    let keyword = advance()
    guard let name = requireName(for: "rule", example: "rule base earn", allowingNumbers: true) else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    finishLine("the rule name")
    let clauses = parseClauseLines(keywords: Parser.ruleClauseKeywords) { parser in parser.parseRuleClause() }
    return .rule(RuleDeclaration(name: name, clauses: clauses, range: keyword.range.union(name.range)))
  }

  /// Parses a catalog reward.
  ///
  ///     reward-decl = "reward" name [ reward-clause { "," reward-clause } ] NEWLINE
  ///                   { INDENT reward-clause NEWLINE } ;
  mutating func parseReward() -> Declaration {
    let keyword = advance()
    guard let name = requireName(for: "reward", example: "reward free drink costs 150 stars", stoppingAt: ["costs", "worth"], allowingNumbers: true) else {
      skipDeclaration()
      return .invalid(keyword.range)
    }
    var clauses: [RewardDeclaration.Clause] = []
    if !atLineEnd {
      clauses.append(parseRewardClauseBody())
      while current.kind == .comma, !lineHasError {
        advance()
        clauses.append(parseRewardClauseBody())
      }
    }
    finishLine("the reward")
    clauses += parseClauseLines { parser in
      let clause = parser.parseRewardClause()
      return clause
    }
    return .reward(RewardDeclaration(name: name, clauses: clauses, range: keyword.range.union(name.range)))
  }

  /// Whether the current line starts with the first word of one of `keywords` (`at most` by `at most`).
  func startsClause(_ keywords: [String]) -> Bool {
    keywords.contains { keyword in
      let words = keyword.split(separator: " ")
      return words.indices.allSatisfy { isWord(peek($0), String(words[$0])) }
    }
  }

  /// Parses a declaration's name, reporting when it is missing.
  mutating func requireName(for keyword: String, example: String, stoppingAt stops: Set<String> = [],
                            allowingNumbers: Bool = false) -> Name? {
    if let name = parseName(stoppingAt: stops, allowingNumbers: allowingNumbers) { return name }
    report(.missingName, "`\(keyword)` needs a name", at: current.range, help: "for example `\(example)`")
    return nil
  }
}
