import PerkRuntime

// Re-exports of the runtime API, so a point-of-sale app needs only `import Perk`.

/// A compiled, immutable reward program; evaluate events with `evaluate(_:customer:state:)`.
public typealias Program = PerkRuntime.Program
/// Something a customer did: a purchase, a signup or a named custom event.
public typealias Event = PerkRuntime.Event
/// One line of a basket: SKU, category, quantity and unit price.
public typealias LineItem = PerkRuntime.LineItem
/// The customer an event is evaluated for: birthday, signup date, segment and attributes.
public typealias Customer = PerkRuntime.Customer
/// Everything the program remembers about one customer between events.
public typealias AccountState = PerkRuntime.AccountState
/// The result of evaluating one event: awards, the new state and balances.
public typealias Outcome = PerkRuntime.Outcome
/// One thing an event earned: points, stamps, a free item, a voucher, a reward or a tier change.
public typealias Award = PerkRuntime.Award
/// A message a `send message` rule made due: rule, channel, rendered text, due time and why.
public typealias DueMessage = PerkRuntime.DueMessage
/// The channel a message goes out on: email, sms, push or receipt.
public typealias MessageChannel = PerkRuntime.MessageChannel
/// An exact amount of money in minor units of one currency.
public typealias Money = PerkRuntime.Money
/// An ISO 4217 currency with its symbol and minor digits.
public typealias Currency = PerkRuntime.Currency
/// An exact decimal such as a rate or multiplier.
public typealias ExactDecimal = PerkRuntime.ExactDecimal
/// How an exact amount is rounded to whole units.
public typealias RoundingMode = PerkRuntime.RoundingMode
/// A calendar date in the program's time zone.
public typealias LocalDate = PerkRuntime.LocalDate
/// A moment in time, as seconds since 1970-01-01 UTC.
public typealias Instant = PerkRuntime.Instant
/// The IANA time zone all of a program's calendar logic uses.
public typealias ProgramTimeZone = PerkRuntime.ProgramTimeZone
/// Why an event could not be evaluated (an overflow or an invalid basket).
public typealias EvaluationError = PerkRuntime.EvaluationError
/// Points one account owes another (a referral's points for the referrer), credited with `Program.credit`.
public typealias PointsTransfer = PerkRuntime.PointsTransfer
/// What retention triggers remember in an account: the visit streak and held transfers.
public typealias TriggerState = PerkRuntime.TriggerState
