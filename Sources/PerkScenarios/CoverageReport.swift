import PerkRuntime
import PerkSource

/// What `perk test --coverage` adds: per file, over all its tests, which rules fired, which
/// conditions were seen both true and false, which limits and caps were reached and which
/// return paths were taken, with everything no test exercised listed by name and position.
package struct CoverageReport: Sendable {
  /// One file's figures.
  package struct FileCoverage: Sendable {
    /// One thing no test exercised.
    package struct Gap: Sendable {
      /// Where it is written; nil for a return path (it is not written anywhere).
      package var location: SourceLocation?
      /// `rules`, `conditions`, `limits`, `caps` or `returns`.
      package var kind: String
      /// `rule free drink never fired`.
      package var text: String
    }

    package var path: String
    package var rules: (covered: Int, total: Int)
    package var conditions: (covered: Int, total: Int)
    package var limits: (covered: Int, total: Int)
    package var caps: (covered: Int, total: Int)
    package var returnPaths: [ReturnPath]
    package var gaps: [Gap]

    init(path: String, targets: CoverageTargets, coverage: ScenarioCoverage) {
      self.path = path
      let trace = coverage.trace
      var gaps: [Gap] = []
      for (index, rule) in targets.rules.enumerated() where !trace.fired.contains(index) {
        gaps.append(Gap(location: rule.location, kind: "rules", text: "rule \(rule.name) never fired"))
      }
      for (index, rule) in targets.rules.enumerated() where rule.hasCondition {
        let seen = (trace.conditionsTrue.contains(index), trace.conditionsFalse.contains(index))
        let missing = switch seen {
        case (true, true): ""
        case (true, false): "never seen false"
        case (false, true): "never seen true"
        case (false, false): "never evaluated"
        }
        if !missing.isEmpty {
          gaps.append(Gap(location: rule.location, kind: "conditions", text: "condition of rule \(rule.name) \(missing)"))
        }
      }
      for (index, rule) in targets.rules.enumerated() where rule.hasLimits && !trace.limitsReached.contains(index) {
        gaps.append(Gap(location: rule.location, kind: "limits", text: "limit of rule \(rule.name) never reached"))
      }
      for cap in targets.caps where !trace.capsReached.contains(cap.key) {
        gaps.append(Gap(location: cap.location, kind: "caps", text: "\(cap.text) never reached"))
      }
      for path in ReturnPath.allCases where !coverage.returnPaths.contains(path) {
        gaps.append(Gap(location: nil, kind: "returns", text: "no return took the path \(path.rawValue)"))
      }
      self.gaps = gaps
      let ruleCount = targets.rules.count
      rules = (ruleCount - gaps.count { $0.kind == "rules" }, ruleCount)
      let conditionCount = targets.rules.count(where: \.hasCondition)
      conditions = (conditionCount - gaps.count { $0.kind == "conditions" }, conditionCount)
      let limitCount = targets.rules.count(where: \.hasLimits)
      limits = (limitCount - gaps.count { $0.kind == "limits" }, limitCount)
      caps = (targets.caps.count - gaps.count { $0.kind == "caps" }, targets.caps.count)
      returnPaths = ReturnPath.allCases.filter { coverage.returnPaths.contains($0) }
    }
  }

  /// The files that compiled, in the order run.
  package var files: [FileCoverage]

  /// The coverage of every file that compiled (a file with errors ran no test).
  package init(_ results: [FileTestResult]) {
    files = results.compactMap { result in
      guard let targets = result.targets else { return nil }
      var coverage = ScenarioCoverage()
      for test in result.results { coverage.formUnion(test.coverage) }
      return FileCoverage(path: result.file.path, targets: targets, coverage: coverage)
    }
  }

  // MARK: Text

  /// One block per file, like a coverage summary: figures, then what no test exercised.
  package var text: String {
    var out = ""
    for file in files {
      out += "\ncoverage of \(file.path)\n"
      out += "  rules fired        \(fraction(file.rules))\n"
      out += "  conditions         \(fraction(file.conditions))  seen both true and false\n"
      out += "  limits reached     \(fraction(file.limits))\n"
      out += "  caps reached       \(fraction(file.caps))\n"
      let paths = file.returnPaths.map(\.rawValue).joined(separator: ", ")
      out += "  return paths       \(fraction((file.returnPaths.count, ReturnPath.allCases.count)))"
        + (paths.isEmpty ? "" : "  \(paths)") + "\n"
      if !file.gaps.isEmpty {
        out += "  not exercised:\n"
        for gap in file.gaps {
          let place = gap.location.map { "\(file.path):\($0.line):\($0.column)" } ?? file.path
          out += "    \(place)  \(gap.text)\n"
        }
      }
    }
    return out
  }

  private func fraction(_ figure: (covered: Int, total: Int)) -> String { "\(figure.covered)/\(figure.total)" }

  // MARK: JSON

  /// Per file: `rules`, `conditions`, `limits`, `caps` (each `covered` and `total`), the
  /// `return_paths` taken and the `not_exercised` list.
  package var json: JSONOutput {
    .array(files.map { file in
      func figure(_ f: (covered: Int, total: Int)) -> JSONOutput {
        .object(["covered": .integer(Int64(f.covered)), "total": .integer(Int64(f.total))])
      }
      return .object([
        "path": .string(file.path),
        "rules": figure(file.rules),
        "conditions": figure(file.conditions),
        "limits": figure(file.limits),
        "caps": figure(file.caps),
        "return_paths": .object([
          "covered": .array(file.returnPaths.map { .string($0.rawValue) }),
          "total": .integer(Int64(ReturnPath.allCases.count)),
        ]),
        "not_exercised": .array(file.gaps.map { gap in
          var object: [String: JSONOutput] = ["kind": .string(gap.kind), "text": .string(gap.text)]
          if let location = gap.location {
            object["line"] = .integer(Int64(location.line))
            object["column"] = .integer(Int64(location.column))
          }
          return .object(object)
        }),
      ])
    })
  }
}
