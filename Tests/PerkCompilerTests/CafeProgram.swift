/// The café program from the common brief, verbatim.
let cafeProgram = """
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

  reward free drink costs 150 stars, worth $5

  """
