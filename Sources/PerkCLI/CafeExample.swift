/// The built-in café example behind `perk demo`: the Bean & Leaf program and a short
/// purchase sequence. The same program is `rules/cafe.perk`; a test keeps them equal.
enum CafeExample {
  static let path = "<built-in cafe.perk>"

  static let program = """
    program "Bean & Leaf Rewards"
      currency USD
      timezone America/New_York

    points stars
      worth $0.01
      round down

    tiers by spend over last 12 months
      green    from $0        earn x1
      gold     from $500      earn x1.5
      reserve  from $1,500    earn x2
      keep until next anniversary

    stamps coffee card
      collect 1 per item in category coffee, tea
      every 10 stamps: cheapest item in category coffee, tea is free

    rule base earn
      on purchase
      earn 2 stars per $1 spent

    rule pastry triple
      on purchase
      earn 6 stars per $1 spent on category pastry
      replaces base earn for those items

    rule double star tuesday
      on purchase
      when weekday is Tuesday and date in 2026-11-01 to 2026-11-30
      multiply stars by 2

    rule welcome back
      on purchase
      when days since last purchase >= 90 and basket total >= $20
      earn 200 stars
      at most once per 365 days

    rule birthday treat
      on purchase
      when month is birthday month
      give voucher "Birthday drink" worth $5
      at most once per year
      on return keep awards

    reward free drink costs 150 stars, worth $5

    """

  /// The customer of the demo: signed up in March 2025, birthday in November.
  static let customer = """
    {"id": "c-1001", "signup_date": "2025-03-14", "birthday": "1990-11-20"}
    """

  /// A description and the event JSON of each demo purchase, evaluated in order.
  static let purchases: [(String, String)] = [
    (
      "Monday 2 November: a latte and a croissant",
      """
      {"type": "purchase", "id": "t-1", "time": "2026-11-02T08:15:00-05:00",
       "lines": [{"sku": "latte", "category": "coffee", "qty": 1, "unit_price": "4.50"},
                 {"sku": "croissant", "category": "pastry", "qty": 1, "unit_price": "3.25"}]}
      """
    ),
    (
      "Tuesday 3 November (double stars): two teas",
      """
      {"type": "purchase", "id": "t-2", "time": "2026-11-03T12:30:00-05:00",
       "lines": [{"sku": "green tea", "category": "tea", "qty": 2, "unit_price": "3.00"}]}
      """
    ),
    (
      "Tuesday 3 November again: the same transaction sent twice",
      """
      {"type": "purchase", "id": "t-2", "time": "2026-11-03T12:30:00-05:00",
       "lines": [{"sku": "green tea", "category": "tea", "qty": 2, "unit_price": "3.00"}]}
      """
    ),
  ]
}
