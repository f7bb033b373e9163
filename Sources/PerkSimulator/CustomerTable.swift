import PerkRuntime

/// The customers file: `customer,birthday,signup_date,segment,referred_by,timezone` and any
/// other column as an attribute the program can read. Held in memory (it grows with customers).
package struct CustomerTable: Sendable {
  package var customers: [String: Customer] = [:]
  package var counts = ReadCounts()
  package var badRows: [BadRow] = []

  package init() {}

  /// The profile of a customer id (an empty profile when the file does not list them).
  package func customer(_ id: String) -> Customer {
    // Most runs have no customers file: no hashing of every customer's id then.
    customers.isEmpty ? Customer(id: id) : customers[id] ?? Customer(id: id)
  }

  /// Reads a customers file (CSV, TSV, whitespace or JSON Lines; dates `yyyy-MM-dd`).
  package static func read(_ source: InputSource, format: HistoryFormat?, columns: ColumnMap, strict: Bool) throws -> CustomerTable {
    var table = CustomerTable()
    var header: [String] = []
    var stop: Error?
    func rejected(_ bad: BadRow) -> Bool {
      table.counts.rejected += 1
      if strict { stop = bad; return false }
      table.badRows.append(bad)
      return true
    }
    try RecordReader(source: source, format: format).forEachItem { item in
      var values: [String] = []
      var names = header
      // A JSON Lines row's `attributes` (other files: every column not a customer column).
      var attributeNames: [String] = []
      var attributeValues: [String] = []
      let line: Int64
      switch item {
      case .header(let texts, _):
        header = texts
        return true
      case .badHeader(let bad):
        stop = bad
        return false
      case .bad(let bad):
        table.counts.read += 1
        return rejected(bad)
      case .json(let bytes, let number):
        table.counts.read += 1
        line = number
        guard let node = try? JSONNode.parse(Array(bytes), path: source.name), case .object(let members) = node.value else {
          return rejected(BadRow(path: source.name, line: number, reason: "expected a JSON object", raw: Array(bytes)))
        }
        // The keys of a customer row are its columns and `attributes`, as in `perk eval`'s customer.
        let known = ColumnMap.customerColumns.map(columns.fileName(for:)) + ["attributes"]
        if let problem = JSONRowKeys.problem(members, known: known, renames: columns.renames, what: "a customer row") {
          return rejected(BadRow(path: source.name, line: number, reason: problem, raw: Array(bytes)))
        }
        names = []
        for member in members {
          if member.key.lowercased() == "attributes" {
            guard case .object(let attributes) = member.value.value else {
              return rejected(BadRow(path: source.name, line: number, reason: "`attributes` must be an object of strings", raw: Array(bytes)))
            }
            for attribute in attributes {
              guard case .string(let s) = attribute.value.value else {
                return rejected(BadRow(path: source.name, line: number,
                                       reason: "attribute `\(attribute.key.escapingControls)` must be a string", raw: Array(bytes)))
              }
              guard !attributeNames.contains(attribute.key) else {
                return rejected(BadRow(path: source.name, line: number,
                                       reason: "attribute `\(attribute.key.escapingControls)` is given twice", raw: Array(bytes)))
              }
              attributeNames.append(attribute.key)
              attributeValues.append(s)
            }
            continue
          }
          switch member.value.value {
          case .string(let s), .number(let s): names.append(member.key); values.append(s)
          case .null: continue
          case .bool, .array, .object:
            return rejected(BadRow(path: source.name, line: number,
                                   reason: "`\(member.key.escapingControls)` must be a string", raw: Array(bytes)))
          }
        }
      case .record(let record):
        table.counts.read += 1
        line = record.line
        values = (0..<record.count).map(record.text)
      }
      switch table.makeCustomer(names: names, values: values, columns: columns, path: source.name, line: line) {
      case .success(var customer):
        for (name, value) in zip(attributeNames, attributeValues) { customer.attributes[name] = value }
        table.customers[customer.id] = customer
      case .failure(let bad): return rejected(bad)
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
      guard date.isReadable else {
        return .failure(BadRow(path: path, line: line, reason: "`\(key)` `\(text)` \(LocalDate.outsideReadableYears)"))
      }
      customer[keyPath: keyPath] = date
    }
    if let segment = byCanonical["segment"], !segment.isEmpty { customer.segment = segment }
    if let referrer = byCanonical["referred_by"], !referrer.isEmpty { customer.referredBy = referrer }
    if let name = byCanonical["timezone"], !name.isEmpty {
      // Refused, never replaced by the program's zone: the customer's calendar would be wrong.
      guard let zone = ProgramTimeZone.named(name) else {
        return .failure(BadRow(path: path, line: line, reason: "`timezone`: " + ProgramTimeZone.unknownMessage(name)))
      }
      customer.timeZone = zone
    }
    return .success(customer)
  }
}
