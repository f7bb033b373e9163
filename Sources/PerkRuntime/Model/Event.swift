/// One line of a basket: an item, how many, and the price of one.
public struct LineItem: Hashable, Sendable {
  /// The stock-keeping unit, such as `latte`.
  public var sku: String
  /// The category, such as `coffee`.
  public var category: String
  /// How many units; a whole number.
  public var quantity: Int64
  /// The price of one unit before any reward.
  public var unitPrice: Money

  /// Creates a line.
  public init(sku: String, category: String, quantity: Int64, unitPrice: Money) {
    self.sku = sku
    self.category = category
    self.quantity = quantity
    self.unitPrice = unitPrice
  }
}

/// Something a customer did that a program reacts to.
public struct Event: Hashable, Sendable {
  /// What kind of event this is.
  public enum Kind: Hashable, Sendable {
    /// A basket paid for.
    case purchase
    /// Items of an earlier purchase brought back; `lines` are the returned units (positive
    /// quantities), `original` the purchase's transaction id.
    case `return`(original: String)
    /// The customer spends points on a catalog reward.
    case redemption(reward: String)
    /// The customer joined the program.
    case signup
    /// A named event such as `review written`.
    case custom(String)
  }

  /// What kind of event this is.
  public var kind: Kind
  /// The transaction id; evaluating the same id twice does not pay twice.
  public var id: String
  /// When it happened.
  public var time: Instant
  /// The basket (purchases), or the returned units (returns).
  public var lines: [LineItem]
  /// The store, if known.
  public var store: String?
  /// The channel (`web`, `app`, `till`), if known.
  public var channel: String?

  /// Creates an event.
  public init(kind: Kind, id: String, time: Instant, lines: [LineItem] = [], store: String? = nil, channel: String? = nil) {
    self.kind = kind
    self.id = id
    self.time = time
    self.lines = lines
    self.store = store
    self.channel = channel
  }
}

/// What the program knows about a customer besides their account state.
public struct Customer: Hashable, Sendable {
  /// The customer's id.
  public var id: String
  /// The birthday, if known.
  public var birthday: LocalDate?
  /// The day the customer joined, if known.
  public var signupDate: LocalDate?
  /// A segment such as `student`.
  public var segment: String?
  /// The customer who referred this one.
  public var referredBy: String?
  /// Any other attribute.
  public var attributes: [String: String]
  /// The customer's own time zone (`timezone`): honoured only by a program that says
  /// `calendar in customer time zones` (``Program/timeZone(for:)``).
  public var timeZone: ProgramTimeZone?

  /// Creates a customer.
  public init(id: String, birthday: LocalDate? = nil, signupDate: LocalDate? = nil, segment: String? = nil,
              referredBy: String? = nil, attributes: [String: String] = [:], timeZone: ProgramTimeZone? = nil) {
    self.id = id
    self.timeZone = timeZone
    self.birthday = birthday
    self.signupDate = signupDate
    self.segment = segment
    self.referredBy = referredBy
    self.attributes = attributes
  }
}
