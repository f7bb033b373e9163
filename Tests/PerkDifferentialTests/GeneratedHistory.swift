import Perk
import PerkTestSupport

/// A seeded random history for a ``GeneratedProgram``: a few customers (signup dates inside and
/// before the period, birthdays, segments, referrers among them) and their events over months
/// or years, in time order: purchases of several lines over the categories the program names
/// and some it does not, whole and partial returns (some of unknown or already returned
/// purchases), redemptions (some unaffordable), signups, custom events (some no rule listens
/// to) and duplicates (an earlier event again, under its id).
struct GeneratedHistory {
  /// One event of one customer.
  struct Entry {
    var customer: String
    var event: Event
  }

  var customers: [Customer] = []
  /// Every customer's events, merged in time order (a customer's own stay in their order).
  var entries: [Entry] = []

  init(for generated: GeneratedProgram, program: Program, _ random: inout SeededGenerator) {
    func roll(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let firstDay = LocalDate(year: 2025, month: 1 + roll(12), day: 1 + roll(28))!
    // Mostly months, now and then years: expiries, reviews and settlements of later years.
    let days = Int64(30 * (roll(10) < 8 ? 1 + roll(9) : 12 + roll(25)))
    let count = roll(4) == 0 ? 3 : 2
    var perCustomer: [[Event]] = []
    for number in 1...count {
      let id = "c\(number)"
      let signup: LocalDate? = switch roll(3) {
      case 0: nil
      case 1: firstDay.adding(days: -Int64(roll(900)))
      default: firstDay.adding(days: Int64(roll(Int(days))))
      }
      let birthday = roll(4) == 0 ? nil : LocalDate(year: 1960 + roll(45), month: 1 + roll(12), day: 1 + roll(28))
      let segment = roll(3) == 0 ? generated.segments[roll(generated.segments.count)] : nil
      let referrer = number > 1 && roll(3) == 0 ? "c\(1 + roll(number - 1))" : nil
      // Customers' own zones and consent count only where the program says so.
      let ownZone = roll(2) == 0 ? nil : ProgramTimeZone(identifier: ["Asia/Tokyo", "America/Chicago", "Europe/London"][roll(3)])
      let customer = Customer(id: id, birthday: birthday, signupDate: signup, segment: segment, referredBy: referrer,
                              attributes: roll(2) == 0 ? [:] : ["sms_opt_in": roll(2) == 0 ? "yes" : "no"], timeZone: ownZone)
      customers.append(customer)
      let zone = program.timeZone(for: customer)

      var events: [Event] = []
      var purchases: [Event] = []
      // The signup event a till (and `perk sim` with a customers file) sends on the signup day.
      if let signup, signup >= firstDay {
        events.append(Event(kind: .signup, id: "signup", time: zone.instant(of: signup, secondOfDay: 0)))
      }
      // A few events spread over the whole period, so that month ends, expiries, reviews and
      // settlements fall between them.
      let earliest = signup.map { max($0, firstDay) } ?? firstDay
      let span = max(1, days - (earliest.dayNumber - firstDay.dayNumber))
      let eventDays = (0..<(2 + roll(7))).map { _ in earliest.adding(days: Int64(roll(Int(span)))) }.sorted()
      for (serial, day) in eventDays.enumerated() {
        let time = zone.instant(of: day, secondOfDay: Int64(7 * 3_600 + roll(15 * 3_600)))
        let txn = "\(id)-\(serial + 1)"
        switch roll(20) {
        case 0...10:
          var purchase = Event(kind: .purchase, id: txn, time: time, lines: Self.basket(generated, program, &random),
                               store: roll(4) == 0 ? "downtown" : nil)
          if roll(40) == 0 {
            // A basket the program must refuse with an error, or one whose evaluation throws
            // partway (every form must then leave the account as it was): a line of no units,
            // more units than any till sells, lines adding up past the largest amount, or two
            // huge lines, which a second such basket on one day takes past the largest day's
            // spend. (The last two trapped before the evaluator checked them: a `discount 10% on
            // basket` summing three huge lines, the ledger adding up the day.)
            let huge = Self.price(4_000_000_000_000_000_000, program)
            switch roll(4) {
            case 0: purchase.lines.append(LineItem(sku: "mug", category: "retail", quantity: 0, unitPrice: Self.price(500, program)))
            case 1: purchase.lines.append(LineItem(sku: "nuts", category: "snacks", quantity: 1_000_001, unitPrice: Self.price(5, program)))
            case 2: purchase.lines += (0..<3).map { _ in LineItem(sku: "gold", category: "misc", quantity: 1, unitPrice: huge) }
            default: purchase.lines = (0..<2).map { _ in LineItem(sku: "gold", category: "misc", quantity: 1, unitPrice: huge) }
            }
            events.append(purchase)
            continue
          }
          events.append(purchase)
          purchases.append(purchase)
          if roll(8) == 0 {
            // Brought back within days: inside holds and referral waits.
            let back = Event(kind: .return(original: txn), id: "q\(txn)", time: Instant(secondsSince1970: time.secondsSince1970 + Int64(3_600 * (1 + roll(240)))),
                             lines: purchase.lines)
            events.append(back)
          }
        case 11, 12:
          guard let original = purchases.isEmpty || roll(8) == 0 ? nil : purchases[roll(purchases.count)] else {
            events.append(Event(kind: .return(original: "unknown-\(serial)"), id: "r\(txn)", time: time,
                                lines: [LineItem(sku: "latte", category: "coffee", quantity: 1, unitPrice: Self.price(250, program))]))
            continue
          }
          var lines: [LineItem] = []
          let whole = roll(3) == 0
          for line in original.lines where whole || roll(2) == 0 {
            var back = line
            // Now and then more units than were bought: a return the program must refuse.
            back.quantity = whole ? line.quantity : Int64(1 + roll(Int(line.quantity) + (roll(10) == 0 ? 2 : 0)))
            lines.append(back)
          }
          if lines.isEmpty { lines = [original.lines[0]] }
          events.append(Event(kind: .return(original: original.id), id: "r\(txn)", time: time, lines: lines))
        case 13, 14:
          let reward = generated.rewards.isEmpty || roll(10) == 0 ? "no such reward" : generated.rewards[roll(generated.rewards.count)]
          events.append(Event(kind: .redemption(reward: reward), id: "d\(txn)", time: time))
        case 15, 16:
          let name = generated.customEvents.isEmpty || roll(4) == 0 ? "newsletter opened" : generated.customEvents[roll(generated.customEvents.count)]
          events.append(Event(kind: .custom(name), id: "e\(txn)", time: time))
        default:
          // A duplicate: an earlier event sent again, later, under its own id.
          guard !events.isEmpty else { continue }
          var again = events[roll(events.count)]
          again.time = max(time, again.time)
          events.append(again)
        }
      }
      perCustomer.append(events)
    }
    for (index, events) in perCustomer.enumerated() {
      entries += events.map { Entry(customer: customers[index].id, event: $0) }
    }
    // Stable: a customer's events keep their order (a signup and a purchase may share an instant).
    entries = entries.enumerated().sorted {
      $0.element.event.time != $1.element.event.time ? $0.element.event.time < $1.element.event.time : $0.offset < $1.offset
    }.map(\.element)
  }

  static func price(_ cents: Int64, _ program: Program) -> Money { Money(minorUnits: cents, currency: program.currency) }

  /// One to four lines; now and then a large basket (a rebate's brackets, a tier's thresholds).
  static func basket(_ generated: GeneratedProgram, _ program: Program, _ random: inout SeededGenerator) -> [LineItem] {
    func roll(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let all = GeneratedProgram.categories + GeneratedProgram.unnamedCategories
    let large = roll(12) == 0
    var lines: [LineItem] = []
    for _ in 0..<(1 + roll(4)) {
      let category = roll(6) == 0 ? GeneratedProgram.unnamedCategories[roll(2)] : all[roll(GeneratedProgram.categories.count)]
      let sku = category.skus[roll(category.skus.count)]
      let cents = large ? Int64(10_000 + roll(400_000)) : Int64(50 + roll(3_000))
      lines.append(LineItem(sku: sku, category: category.name, quantity: Int64(1 + roll(3)), unitPrice: price(cents, program)))
    }
    return lines
  }

  /// The history as `perk sim` reads it (CSV, one row per line; redemptions, returns and
  /// custom events by `type`; signups come from the customers' signup dates).
  func csv(_ program: Program) -> String {
    var text = "customer,txn,time,sku,category,qty,unit_price,type,orig_txn,reward,store\n"
    var written: Set<String> = []
    for entry in entries {
      let event = entry.event
      // Rows with one transaction id form one basket: a duplicate would join the earlier
      // basket rather than be sent again, so the file leaves duplicates out.
      guard written.insert("\(entry.customer) \(event.id)").inserted else { continue }
      let prefix = "\(entry.customer),\(event.id),\(program.timeZone.rfc3339(event.time))"
      switch event.kind {
      case .purchase, .return:
        var type = "purchase,,"
        if case .return(let original) = event.kind { type = "return,\(original)," }
        for line in event.lines {
          text += "\(prefix),\(line.sku),\(line.category),\(line.quantity),\(line.unitPrice.decimalString),\(type),\(event.store ?? "")\n"
        }
      case .redemption(let reward): text += "\(prefix),,,,,redeem,,\(reward),\n"
      case .signup: break  // the customers table's signup date makes it
      case .custom(let name): text += "\(prefix),,,,,\(name),,,\n"
      }
    }
    return text
  }
}
