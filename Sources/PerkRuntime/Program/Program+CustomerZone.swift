extension Program {
  /// The zone in which `customer`'s calendar questions are answered — days, weeks, months,
  /// years, birthdays, period ends, rebate periods: the customer's own zone when the program
  /// says `calendar in customer time zones` and the customer has one, the program's otherwise.
  ///
  /// The one place that decides it: every conversion between an instant and a customer's
  /// local day goes through here.
  public func timeZone(for customer: Customer) -> ProgramTimeZone {
    guard calendarInCustomerZones, let own = customer.timeZone else { return timeZone }
    return own
  }
}
