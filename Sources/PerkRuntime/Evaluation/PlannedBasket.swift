/// A purchase as the purchase plan reads it (``PurchasePlan``): its id, time, store and channel,
/// and its lines already in the plan's form, each with its filter bits.
///
/// The plan needs nothing else of an ``Event``. A bulk caller that holds its baskets in another
/// form (`perk sim` reads them from a partition's encoded rows) fills one of these, kept from
/// purchase to purchase so that its lines keep their storage, and looks each line's filter bits
/// up once per distinct category and SKU (``Program/lineFilters(category:sku:)``) rather than by
/// name on every line; no `Event`, `LineItem` or `Money` is made for a purchase the plan takes.
/// ``Program/purchasePlanned(_:customer:account:options:restoresOnError:)`` with an event makes
/// one of these from it, so the two forms run the same steps.
///
/// Every price is in the program's currency. Whether the basket is refused (too many units, a
/// quantity below one, a negative price, a total that overflows) is decided when it is made
/// (``finishLines(currency:)``) and thrown only once its id was admitted, as the general
/// evaluation reports a duplicate before it looks at the basket.
package struct PlannedBasket {
  /// The transaction id.
  package var id: String
  /// When it happened.
  package var time: Instant
  /// The store, if known.
  package var store: String?
  /// The channel, if known.
  package var channel: String?
  /// The lines, in the event's order.
  var lines: [BasketLine] = []
  /// Why the basket is refused, if it is.
  var refusal: EvaluationError?

  /// An empty basket, to be filled with ``start(id:time:store:channel:)`` and ``appendLine(sku:filters:unitMinor:quantity:)``.
  package init() {
    id = ""
    time = Instant(secondsSince1970: 0)
  }

  /// Empties the basket for another purchase (its lines keep their storage).
  package mutating func start(id: String, time: Instant, store: String?, channel: String?) {
    self.id = id
    self.time = time
    self.store = store
    self.channel = channel
    // Line by line: `removeAll(keepingCapacity:)` goes through the generic `replaceSubrange`,
    // several times the cost of a basket's one or two lines.
    while !lines.isEmpty { lines.removeLast() }
    refusal = nil
  }

  /// Adds a line of `quantity` units at `unitMinor` each (minor units of the program's currency).
  package mutating func appendLine(sku: String, filters: LineFilters, unitMinor: Int64, quantity: Int64) {
    let gross = unitMinor &* quantity
    lines.append(BasketLine(sku: sku, unitMinor: unitMinor, quantity: quantity, grossMinor: gross, netMinor: gross,
                            filterBits: filters.bits))
  }

  /// Decides, once every line is in, whether the basket is refused, with the general
  /// evaluation's message (`EvaluationRun.validateBasket`).
  package mutating func finishLines(currency: Currency) {
    do {
      try EvaluationRun.validateBasket(lines, currency: currency)
    } catch {
      refusal = error
    }
  }

  /// What the lines cost before any reward: the purchase's revenue.
  package var grossMinor: Int64 {
    var total: Int64 = 0
    for line in lines { total &+= line.grossMinor }
    return total
  }

  /// Fills the basket with a purchase `event` of `program`: a refused event's lines are not
  /// made, only its refusal.
  mutating func fill(from event: Event, program: Program) {
    start(id: event.id, time: event.time, store: event.store, channel: event.channel)
    do {
      try EvaluationRun.validateBasket(event, currency: program.currency)
    } catch {
      refusal = error
      return
    }
    for item in event.lines {
      appendLine(sku: item.sku, filters: program.lineFilters(category: item.category, sku: item.sku),
                 unitMinor: item.unitPrice.minorUnits, quantity: item.quantity)
    }
  }

  /// The event the general evaluation's period-end walk is given before the purchase (it reads
  /// only its id and time).
  var eventWithoutLines: Event {
    Event(kind: .purchase, id: id, time: time, store: store, channel: channel)
  }
}

/// Which of a program's filters a line of one category and SKU matches: what a caller keeps per
/// distinct category and SKU to fill ``PlannedBasket``s.
package struct LineFilters {
  let bits: FilterBits
}

extension Program {
  /// Whether the program has a purchase plan (``PurchasePlan``): a bulk caller fills
  /// ``PlannedBasket``s only then.
  package var hasPurchasePlan: Bool { purchasePlan != nil }

  /// The filters a line of this category and SKU matches (negated filters included).
  package func lineFilters(category: String, sku: String) -> LineFilters {
    LineFilters(bits: filterBits(category: category, sku: sku))
  }
}
