/// A compact record of one recent purchase: what a return needs to reverse it exactly.
///
/// Per line: units bought, units made free, the net amount paid, the points the line
/// earned by currency (per-$ and per-item earnings, split across lines), and stamps per
/// card. Flat bonuses are kept for the whole basket. `returned` counts units already
/// brought back so that repeated partial returns add up exactly.
///
/// Other phases (promotions) keep their own part beside the lines; a return lets them
/// recompute what the kept units are owed through the return hook in Returns.swift.
public struct TransactionRecord: Hashable, Sendable, Codable {
  /// One line of the original basket.
  public struct Line: Hashable, Sendable, Codable {
    /// The stock-keeping unit.
    public var sku: String
    /// The category.
    public var category: String
    /// Units bought.
    public var quantity: Int64
    /// The price of one unit before any reward, in minor units.
    public var unitMinor: Int64
    /// Units made free by a stamp card (returned last; never refunded).
    public var freeUnits: Int64
    /// Money off the line from promotions, in minor units (0 without promotions).
    public var discountMinor: Int64
    /// The net amount paid for the line, in minor units.
    public var netMinor: Int64
    /// Points the line earned, by currency.
    public var points: NamedAmounts
    /// Stamps the line collected, by card.
    public var stamps: NamedAmounts
    /// Units already returned.
    public var returned: Int64

    /// Creates a line record.
    public init(sku: String, category: String, quantity: Int64, unitMinor: Int64, freeUnits: Int64 = 0,
                discountMinor: Int64 = 0, netMinor: Int64, points: NamedAmounts = [:], stamps: NamedAmounts = [:],
                returned: Int64 = 0) {
      self.sku = sku
      self.category = category
      self.quantity = quantity
      self.unitMinor = unitMinor
      self.freeUnits = freeUnits
      self.discountMinor = discountMinor
      self.netMinor = netMinor
      self.points = points
      self.stamps = stamps
      self.returned = returned
    }

    /// Units that were paid for.
    public var paidUnits: Int64 { quantity - freeUnits }

    private enum CodingKeys: String, CodingKey, CaseIterable {
      case sku, category, quantity, unitMinor = "unit_minor", freeUnits = "free_units", discountMinor = "discount_minor"
      case netMinor = "net_minor", points, stamps, returned
    }
  }

  /// The purchase's transaction id.
  public var id: String {
    get { storage.fields.id }
    _modify {
      makeUnique()
      yield &storage.fields.id
    }
  }
  /// The local day of the purchase.
  public var day: LocalDate {
    get { storage.fields.day }
    _modify {
      makeUnique()
      yield &storage.fields.day
    }
  }
  /// The lines.
  public var lines: [Line] {
    get { storage.fields.lines }
    _modify {
      makeUnique()
      yield &storage.fields.lines
    }
  }
  /// Flat bonuses (not tied to lines), by currency; reversed only when the whole basket is returned.
  public var flatPoints: NamedAmounts {
    get { storage.fields.flatPoints }
    _modify {
      makeUnique()
      yield &storage.fields.flatPoints
    }
  }
  /// True once flat bonuses were reversed.
  public var flatReversed: Bool {
    get { storage.fields.flatReversed }
    _modify {
      makeUnique()
      yield &storage.fields.flatReversed
    }
  }
  /// What a return needs to recompute the purchase's deals (PromotionReturns.swift); nil without
  /// any, and for a record with a ``context``.
  public var promotion: PromotionReturnRecord? {
    get { storage.fields.promotion }
    _modify {
      makeUnique()
      yield &storage.fields.promotion
    }
  }
  /// What the purchase's rules read besides the basket: a return evaluates them again on the
  /// kept basket in this context (ReturnRecompute.swift). Nil in a record stored before Perk kept
  /// it: such a purchase is reversed by share (Returns.swift).
  public var context: PurchaseContext? {
    get { storage.fields.contextBox?.value }
    set {
      makeUnique()
      storage.fields.contextBox = newValue.map(PurchaseContextBox.init)
    }
  }

  /// The record's fields, in one reference: the till's form copies every record a state keeps on
  /// every event (and drops the old ones), and a record of separate fields retained and released
  /// each of its half-dozen references each time. Written in place when this record is its only
  /// holder, copied first otherwise.
  private var storage: Storage

  /// Creates a record.
  public init(id: String, day: LocalDate, lines: [Line], flatPoints: NamedAmounts = [:], flatReversed: Bool = false,
              promotion: PromotionReturnRecord? = nil, context: PurchaseContext? = nil) {
    storage = Storage(Fields(id: id, day: day, lines: lines, flatPoints: flatPoints, flatReversed: flatReversed, promotion: promotion,
                             contextBox: context.map(PurchaseContextBox.init)))
  }

  /// A record with its context already boxed (the evaluation boxes it once per purchase).
  init(id: String, day: LocalDate, lines: [Line], flatPoints: NamedAmounts, promotion: PromotionReturnRecord?,
       contextBox: PurchaseContextBox?) {
    storage = Storage(Fields(id: id, day: day, lines: lines, flatPoints: flatPoints, flatReversed: false, promotion: promotion,
                             contextBox: contextBox))
  }

  /// True when every unit of every line has been returned.
  public var fullyReturned: Bool { lines.allSatisfy { $0.returned >= $0.quantity } }

  /// Gives this record its own storage before a write.
  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
  }

  public static func == (a: TransactionRecord, b: TransactionRecord) -> Bool {
    a.storage === b.storage || a.storage.fields == b.storage.fields
  }

  // The fields' own hashing, so a record hashes as it did when the fields were its own.
  public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

  /// Decodes the fields as they were decoded when they were the record's own, with the same keys.
  public init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }

  /// Encodes the fields under the record's keys.
  public func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }
}

extension TransactionRecord {
  /// The stored fields, in the order (and with the keys) of the record's JSON.
  fileprivate struct Fields: Hashable, Codable {
    var id: String
    var day: LocalDate
    var lines: [Line]
    var flatPoints: NamedAmounts
    var flatReversed: Bool
    var promotion: PromotionReturnRecord?
    /// The context, boxed: records are copied whole when a chunk of them is (see ``ChunkedQueue``),
    /// and a box is one reference to retain instead of the context's dozen.
    var contextBox: PurchaseContextBox?

    private enum CodingKeys: String, CodingKey, CaseIterable {
      case id, day, lines, flatPoints = "flat_points", flatReversed = "flat_reversed", promotion, contextBox = "context"
    }
  }

  /// Where the fields live. Mutated only through ``TransactionRecord/makeUnique()``'s unique
  /// reference, as copy-on-write values are: what makes sending a record safe.
  fileprivate final class Storage: @unchecked Sendable {
    // Unchecked: a write needs the only reference, so no access can overlap it, and the
    // runtime check on every read (a record's day, read for each kept record on every event)
    // cost more than the copies the storage saves.
    @exclusivity(unchecked) var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }
}
