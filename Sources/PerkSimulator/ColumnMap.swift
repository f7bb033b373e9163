import PerkSource

/// The canonical history columns and how a user's export names them (`--map canonical=theirs,...`).
package struct ColumnMap: Sendable, Equatable {
  /// Every canonical column of a history file, in documentation order.
  package static let historyColumns = [
    "customer", "txn", "time", "sku", "category", "qty", "unit_price", "amount", "store", "channel", "type", "orig_txn", "reward",
  ]
  /// The canonical columns of a customers file (any other column is an attribute).
  package static let customerColumns = ["customer", "birthday", "signup_date", "segment", "referred_by", "timezone"]

  /// canonical name → the name in the user's file.
  package var renames: [String: String]

  package init(renames: [String: String] = [:]) { self.renames = renames }

  /// Parses `customer=customer_id,time=date`; the error names the bad part.
  package init(parsing text: String) throws(SimulationInputError) {
    var renames: [String: String] = [:]
    for part in text.split(separator: ",", omittingEmptySubsequences: true) {
      let pieces = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
      guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
        throw SimulationInputError("`--map` expects canonical=theirs pairs separated by commas, found `\(part)`")
      }
      guard ColumnMap.historyColumns.contains(pieces[0]) || ColumnMap.customerColumns.contains(pieces[0]) else {
        let known = ColumnMap.historyColumns + ColumnMap.customerColumns.filter { !ColumnMap.historyColumns.contains($0) }
        throw SimulationInputError("`--map` names an unknown column `\(pieces[0])`; canonical columns are "
          + known.map { "`\($0)`" }.joined(separator: ", "))
      }
      renames[pieces[0]] = pieces[1]
    }
    self.renames = renames
  }

  /// The name to look for in the file's header for a canonical column.
  package func fileName(for canonical: String) -> String { renames[canonical] ?? canonical }
}

/// A mistake in the simulator's input (files, options) that stops the run, for people.
package struct SimulationInputError: Error, Sendable, Equatable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

extension String {
  /// Control characters (C0, DEL, C1) and bidirectional overrides escaped as Swift writes them
  /// (`\u{1B}`, `\n`), for text from an input file shown in a message: the one escaping of
  /// diagnostics (``ControlEscapes``).
  var escapingControls: String { ControlEscapes.escaped(self) }

  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
    return String(s)
  }
}
