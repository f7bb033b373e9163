import PerkSource

/// Renders a parsed file as an indented tree with `line:col-line:col` ranges, for golden tests and
/// `perk parse --dump`.
///
/// It walks the AST by reflection so that adding an AST case never needs a printer change: the printer
/// cannot fall out of date with the contract. Ranges are shown in source coordinates (1-based lines and
/// columns) instead of byte offsets because that is what a reader compares against the file.
package func dump(_ file: SourceFileSyntax, source: SourceFile) -> String {
  var printer = ASTPrinter(source: source)
  printer.write(file, label: nil, depth: 0)
  return printer.output
}

/// Writes one node per line; children are indented by two spaces.
private struct ASTPrinter {
  let source: SourceFile
  var output = ""

  mutating func write(_ value: Any, label: String?, depth: Int) {
    let indent = String(repeating: "  ", count: depth)
    let prefix = indent + (label.map { "\($0): " } ?? "")
    if let range = value as? SourceRange {
      output += prefix + describe(range) + "\n"
      return
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
      guard let wrapped = mirror.children.first?.value else {
        output += prefix + "nil\n"
        return
      }
      write(wrapped, label: label, depth: depth)
    case .collection, .set:
      if mirror.children.isEmpty {
        output += prefix + "[]\n"
        return
      }
      output += prefix + "[\(mirror.children.count)]\n"
      for child in mirror.children { write(child.value, label: nil, depth: depth + 1) }
    case .enum:
      let caseName = String(describing: value).prefix { $0 != "(" }
      guard let payload = mirror.children.first else {
        output += prefix + "." + caseName + "\n"
        return
      }
      output += prefix + "." + caseName + "\n"
      writeFields(of: payload.value, depth: depth + 1)
    case .struct, .class, .tuple:
      if mirror.children.isEmpty || isLeaf(value) {
        output += prefix + String(describing: value) + "\n"
        return
      }
      output += prefix + typeName(value) + "\n"
      writeFields(of: value, depth: depth + 1)
    default:
      output += prefix + leafText(value) + "\n"
    }
  }

  /// An enum payload is a tuple (or a single value); print its elements as fields of the case.
  mutating func writeFields(of value: Any, depth: Int) {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .tuple || mirror.displayStyle == .struct || mirror.displayStyle == .class,
      !isLeaf(value)
    {
      for (offset, child) in mirror.children.enumerated() {
        let label = child.label.flatMap { $0.hasPrefix(".") ? nil : $0 } ?? (mirror.displayStyle == .tuple ? nil : "\(offset)")
        write(child.value, label: label, depth: depth)
      }
    } else {
      write(value, label: nil, depth: depth)
    }
  }

  /// Literal payloads (numbers, dates, money) read better as their description than as a field tree.
  func isLeaf(_ value: Any) -> Bool {
    value is String || value is Int || value is Int64 || value is Bool || value is DecimalLiteral
      || value is MoneyLiteral || value is DateLiteral || value is TimeLiteral || value is DurationLiteral
  }

  func leafText(_ value: Any) -> String {
    if let text = value as? String { return "\"\(text)\"" }
    return String(describing: value)
  }

  func typeName(_ value: Any) -> String { String(describing: type(of: value)) }

  func describe(_ range: SourceRange) -> String {
    guard range.isValid, range.start <= source.bytes.count, range.end <= source.bytes.count else {
      return "<no range>"
    }
    let start = source.location(of: range.start)
    let end = source.location(of: range.end)
    return "\(start.line):\(start.column)-\(end.line):\(end.column)"
  }
}
