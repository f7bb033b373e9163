import PerkRuntime

/// The customers file: `customer,birthday,signup_date,segment,referred_by` and any other
/// column as an attribute the program can read. Held in memory (it grows with customers).
package struct CustomerTable: Sendable {
  package var customers: [String: Customer] = [:]
  package var counts = ReadCounts()
  package var badRows: [BadRow] = []

  package init() {}

  /// The profile of a customer id (an empty profile when the file does not list them).
  package func customer(_ id: String) -> Customer { customers[id] ?? Customer(id: id) }

  /// Reads a customers file (CSV, TSV, whitespace or JSON Lines; dates `yyyy-MM-dd`).
  package static func read(_ source: InputSource, format: HistoryFormat?, columns: ColumnMap, strict: Bool) throws -> CustomerTable {
    var table = CustomerTable()
    var header: [String]?
    var detected = format
    var fields: [Range<Int>] = []
    var unquoted: [[UInt8]] = []
    var stop: Error?
    try source.forEachLine { bytes, number in
      if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { return true }
      if detected == nil { detected = HistoryFormat.detect(path: source.name, firstLine: Array(bytes)) }
      var names: [String] = []
      var values: [String] = []
      if detected == .jsonl {
        table.counts.read += 1
        guard let node = try? JSONNode.parse(Array(bytes), path: source.name), case .object(let members) = node.value else {
          let bad = BadRow(path: source.name, line: number, reason: "expected a JSON object")
          table.counts.rejected += 1
          if strict { stop = bad; return false }
          table.badRows.append(bad)
          return true
        }
        for member in members {
          switch member.value.value {
          case .string(let s), .number(let s): names.append(member.key); values.append(s)
          default: continue
          }
        }
      } else {
        if let problem = HistoryFormat.split(bytes, format: detected ?? .csv, into: &fields, unquoted: &unquoted) {
          let bad = BadRow(path: source.name, line: number, reason: problem)
          if header == nil || strict { stop = bad; return false }
          table.counts.read += 1
          table.counts.rejected += 1
          table.badRows.append(bad)
          return true
        }
        let texts = fields.map { r -> String in
          if r.lowerBound < 0 { return String(decoding: unquoted[-r.lowerBound - 1], as: UTF8.self).trimmingSpaces }
          return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self).trimmingSpaces
        }
        guard let known = header else { header = texts; return true }
        table.counts.read += 1
        names = known
        values = texts
      }
      switch table.makeCustomer(names: names, values: values, columns: columns, path: source.name, line: number) {
      case .success(let customer): table.customers[customer.id] = customer
      case .failure(let bad):
        table.counts.rejected += 1
        if strict { stop = bad; return false }
        table.badRows.append(bad)
      }
      return true
    }
    if let stop { throw stop }
    return table
  }

  func makeCustomer(names: [String], values: [String], columns: ColumnMap, path: String, line: Int64) -> Result<Customer, BadRow> {
    var byCanonical: [String: String] = [:]
    var attributes: [String: String] = [:]
    let wanted = Dictionary(ColumnMap.customerColumns.map { (columns.fileName(for: $0).lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
    for (index, name) in names.enumerated() where index < values.count {
      if let canonical = wanted[name.lowercased()] { byCanonical[canonical] = values[index] }
      else if !values[index].isEmpty { attributes[name] = values[index] }
    }
    guard let id = byCanonical["customer"], !id.isEmpty else {
      return .failure(BadRow(path: path, line: line, reason: "missing `customer`"))
    }
    var customer = Customer(id: id, attributes: attributes)
    for (key, keyPath) in [("birthday", \Customer.birthday), ("signup_date", \Customer.signupDate)] {
      guard let text = byCanonical[key], !text.isEmpty else { continue }
      guard let date = LocalDate(iso: text.prefix(10)) else {
        return .failure(BadRow(path: path, line: line, reason: "`\(key)` `\(text)` is not a date (yyyy-MM-dd)"))
      }
      customer[keyPath: keyPath] = date
    }
    if let segment = byCanonical["segment"], !segment.isEmpty { customer.segment = segment }
    if let referrer = byCanonical["referred_by"], !referrer.isEmpty { customer.referredBy = referrer }
    return .success(customer)
  }
}
