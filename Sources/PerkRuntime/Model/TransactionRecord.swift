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
  public var id: String
  /// The local day of the purchase.
  public var day: LocalDate
  /// The lines.
  public var lines: [Line]
  /// Flat bonuses (not tied to lines), by currency; reversed only when the whole basket is returned.
  public var flatPoints: NamedAmounts
  /// True once flat bonuses were reversed.
  public var flatReversed: Bool
  /// What a return needs to recompute the purchase's deals (PromotionReturns.swift); nil without
  /// any, and for a record with a ``context``.
  public var promotion: PromotionReturnRecord?
  /// What the purchase's rules read besides the basket: a return evaluates them again on the
  /// kept basket in this context (ReturnRecompute.swift). Nil in a record stored before Perk kept
  /// it: such a purchase is reversed by share (Returns.swift).
  public var context: PurchaseContext? {
    get { contextBox?.value }
    set { contextBox = newValue.map(PurchaseContextBox.init) }
  }
  /// The context, boxed: records are copied whole when a chunk of them is (see ``ChunkedQueue``),
  /// and a box is one reference to retain instead of the context's dozen.
  private var contextBox: PurchaseContextBox?

  /// Creates a record.
  public init(id: String, day: LocalDate, lines: [Line], flatPoints: NamedAmounts = [:], flatReversed: Bool = false,
              promotion: PromotionReturnRecord? = nil, context: PurchaseContext? = nil) {
    self.promotion = promotion
    self.contextBox = context.map(PurchaseContextBox.init)
    self.id = id
    self.day = day
    self.lines = lines
    self.flatPoints = flatPoints
    self.flatReversed = flatReversed
  }

  /// A record with its context already boxed (the evaluation boxes it once per purchase).
  init(id: String, day: LocalDate, lines: [Line], flatPoints: NamedAmounts, promotion: PromotionReturnRecord?,
       contextBox: PurchaseContextBox?) {
    self.init(id: id, day: day, lines: lines, flatPoints: flatPoints, promotion: promotion)
    self.contextBox = contextBox
  }

  /// True when every unit of every line has been returned.
  public var fullyReturned: Bool { lines.allSatisfy { $0.returned >= $0.quantity } }

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case id, day, lines, flatPoints = "flat_points", flatReversed = "flat_reversed", promotion, contextBox = "context"
  }
}
