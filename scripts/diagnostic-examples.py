#!/usr/bin/env python3
"""Generates Tests/PerkCLITests/Diagnostics/*.perk and the examples in docs/diagnostics.md.

One table holds, per diagnostic code: a file name, the example program (with the
offending line annotated `# error: CODE` / `# warning: CODE`), a title and the fix.
Run from the repository root: python3 scripts/diagnostic-examples.py
"""
import os

PRELUDE = '''program "Demo"
  currency USD
  timezone America/New_York

points stars
  worth $0.01

rule base earn
  on purchase
  earn 2 stars per $1 spent
'''

def p(extra):
    return PRELUDE + "\n" + extra.strip("\n") + "\n"

def rule(body, name="bonus"):
    return p(f"rule {name}\n  on purchase\n" + body)

def test(body, name="a latte earns stars", customers="  customer alice\n"):
    return p(f"test {name}\n" + customers + body)

LATTE = "1 latte at $4.50 (coffee)"

E = "# error: "
W = "# warning: "
# (code, name, title, example, fix)
EXAMPLES = [
 ("E0101", "invalid-character", "invalid character",
  rule(f"  earn 10 stars @ 3   {E}E0101\n"), "Remove the character; Perk has no `@`, `;` or `{` tokens."),
 ("E0102", "unterminated-string", "unterminated string",
  rule(f'  give voucher "Birthday drink worth $5   {E}E0102\n  earn 10 stars\n'), "Close the string with `\"` on the same line."),
 ("E0103", "malformed-number", "malformed number",
  rule(f"  when basket items >= 3abc   {E}E0103\n  earn 10 stars\n"), "Separate the number from the next word (`3 items`), or write it as digits with an optional decimal point."),
 ("E0104", "malformed-money", "malformed money",
  rule(f'  give voucher "Birthday drink" worth $5.005   {E}E0104\n'), "Write at most as many decimals as the currency has (`$5.00`)."),
 ("E0105", "malformed-date", "malformed date",
  rule(f"  when date in 2026-02-30 to 2026-03-05   {E}E0105\n  earn 10 stars\n"), "Use a date that exists, such as `2026-02-28`."),
 ("E0106", "malformed-time", "malformed time",
  rule(f"  when time >= 25:00   {E}E0106\n  earn 10 stars\n"), "Use a time from `0:00` to `23:59`."),
 ("E0107", "invalid-utf8", "invalid UTF-8",
  rule(f'  give voucher "Caf\udce9 drink" worth $5   {E}E0107\n'), "Save the file as UTF-8."),
 ("E0108", "invalid-escape", "invalid escape",
  rule(f'  give voucher "Birthday \\q drink" worth $5   {E}E0108\n  earn 10 stars\n'), "Use one of the escapes `\\\"`, `\\\\`, `\\n`, `\\t`."),
 ("E0109", "literal-too-large", "literal too large",
  rule(f"  earn 99999999999999999999999 stars   {E}E0109\n  earn 10 stars\n"), "Use a smaller number."),
 ("E0201", "expected-token", "expected token",
  rule(f"  multiply stars 2   {E}E0201\n  earn 10 stars\n"), "Add the missing word: `multiply stars by 2`."),
 ("E0202", "unknown-declaration", "unknown declaration",
  p(f"rewrd free drink costs 150 stars, worth $5   {E}E0202\n"), "Start the line with `program`, `points`, `tiers`, `stamps`, `rule` or `reward`, or indent it under one."),
 ("E0203", "unknown-clause", "unknown clause",
  rule(f"  eran 10 stars   {E}E0203\n  earn 10 stars\n"), "Start the clause with a word its declaration knows (`earn`)."),
 ("E0204", "nesting-too-deep", "nesting too deep",
  rule(f"  when {'(' * 70}basket total >= $20{')' * 70}   {E}E0204\n  earn 10 stars\n"), "Simplify the expression; name parts of it with separate rules."),
 ("E0205", "unclosed-parenthesis", "unclosed parenthesis",
  rule(f"  when (basket total >= $20   {E}E0205\n  earn 10 stars\n"), "Add the `)`."),
 ("E0206", "missing-name", "missing name",
  p(f"rule   {E}E0206\n  on purchase\n  earn 10 stars\n"), "Name the declaration: `rule welcome bonus`."),
 ("E0207", "expected-expression", "expected expression",
  rule(f"  when basket total >=   {E}E0207\n  earn 10 stars\n"), "Complete the comparison: `when basket total >= $20`."),
 ("E0208", "unexpected-indentation", "unexpected indentation",
  f"  currency USD   {E}E0208\n" + PRELUDE, "Move the clause under its declaration or remove the indentation."),
 ("E0209", "unexpected-trailing-text", "unexpected trailing text",
  p(f"rule bonus\n  on purchase now   {E}E0209\n  earn 10 stars\n"), "Remove the extra words, or move them to their own clause."),
 ("E0214", "referrer-needs-points", "referrer needs points",
  p(f'rule referral\n  on purchase\n  when referred\n  give voucher "Thanks" worth $5 for referrer   {E}E0214\n'), "Give the referrer points (`earn 300 stars for referrer`); vouchers and rewards stay with the customer."),
 ("E0218", "unknown-test-step", "unknown test step",
  test(f"  on 2026-03-02 alice buys {LATTE}\n  expcet alice earns 9 stars   {E}E0218\n  expect alice has 9 stars\n"), "Start every line of a test with `customer`, `on` or `expect`."),
 ("E0219", "unknown-test-verb", "unknown test verb",
  test(f"  on 2026-03-02 alice buy {LATTE}   {E}E0219\n  expect alice has 9 stars\n"), "Use one of the verbs of docs/testing.md: `buys`, `returns`, `redeems`, `signs up`, `triggers`, `replays` for events; `earns`, `loses`, `spends`, `saves`, `gets`, `collects`, `moves to tier`, `pays`, `has`, `is rejected`, `accrues` for expectations (`perk help test` lists them from the same table as the parser)."),
 ("E0220", "reward-cost-in-money", "reward cost in money",
  p(f"reward free drink costs $1.50   {E}E0220\n"),
  "A reward costs points: `costs 150 stars`. What it is worth to the customer is `worth $1.50`."),
 ("E0212", "missing-discount-target", "missing discount target",
  rule(f"  discount 15%   {E}E0212\n"), "Say what the discount applies to: `on basket`, `on category …` or `per item`."),
 ("E0213", "incomplete-deal", "incomplete deal",
  rule(f"  buy 3 in category snacks get 1 free   {E}E0213\n"), "Write the deal as `buy 3 in category snacks pay for 2`."),
 ("E0301", "unknown-tier", "unknown tier",
  p("tiers by spend over last 12 months\n  green from $0\n  gold from $500\n\n"
    f"rule gold bonus\n  on purchase\n  when tier is goldd   {E}E0301\n  earn 10 stars\n"), "Use a tier declared in `tiers`; the help suggests the closest name."),
 ("E0302", "unknown-points-currency", "unknown points currency",
  rule(f"  multiply starz by 2   {E}E0302\n"), "Use a currency declared with `points`."),
 ("E0303", "unknown-stamp-card", "unknown stamp card",
  p("stamps coffee card\n  collect 1 per item in category coffee\n  every 10 stamps: cheapest item in category coffee is free\n\n"
    f"rule loyal\n  on purchase\n  when coffee crd stamps >= 5   {E}E0303\n  earn 10 stars\n"), "Use a card declared with `stamps`."),
 ("E0304", "unknown-rule", "unknown rule",
  rule(f"  earn 6 stars per $1 spent on category pastry\n  replaces bse earn for those items   {E}E0304\n"), "Name a declared rule: `replaces base earn`."),
 ("E0305", "unknown-reward", "unknown reward",
  p("reward free drink costs 150 stars, worth $5\n\n" f"rule treat\n  on signup\n  give reward free drnk   {E}E0305\n"), "Name a declared `reward`."),
 ("E0306", "duplicate-declaration", "duplicate declaration",
  p(f"rule base earn   {E}E0306\n  on purchase\n  earn 1 stars per $1 spent\n"), "Rename one of the declarations or merge them."),
 ("E0307", "unknown-quantity", "unknown quantity",
  rule(f"  when lucky > 3   {E}E0307\n  earn 10 stars\n"), "Use a quantity Perk knows (see the language reference)."),
 ("E0308", "unknown-currency", "unknown currency",
  PRELUDE.replace("currency USD", f"currency USX   {E}E0308"), "Use an ISO 4217 code such as `USD`, `EUR`, `JPY`."),
 ("E0309", "unknown-time-zone", "unknown time zone",
  PRELUDE.replace("timezone America/New_York", f"timezone America/New_Yrok   {E}E0309"), "Use an IANA time zone such as `America/New_York`."),
 ("E0316", "unknown-anniversary", "unknown anniversary",
  rule(f"  when wedding anniversary within 7 days   {E}E0316\n  earn 10 stars\n"), "Write `signup anniversary within …`, or `birthday within …` for the birthday."),
 ("E0317", "unknown-recipient", "unknown recipient",
  rule(f"  when referred\n  earn 300 stars for friend   {E}E0317\n"), "Write `for referrer`, or leave `for …` out to give the points to the customer."),
 ("E0322", "unknown-customer", "unknown customer",
  test(f"  on 2026-03-02 alise buys {LATTE}   {E}E0322\n  expect alice has 0 stars\n"), "Declare the customer at the top of the test (`customer alise`) or fix the spelling."),
 ("E0323", "unknown-transaction-label", "unknown transaction label",
  test(f"  on 2026-03-02 alice buys {LATTE} as T1\n  on 2026-03-03 alice returns 1 latte from T2   {E}E0323\n  expect alice has 0 stars\n"), "Label the purchase with `as LABEL` at the end of its line and return from that label."),
 ("E0324", "duplicate-customer", "duplicate customer",
  test(f"  customer alice, birthday 1990-02-28   {E}E0324\n  on 2026-03-02 alice buys {LATTE}\n  expect alice has 9 stars\n"), "Declare each customer once, with all of their attributes on one line."),
 ("E0326", "unknown-item-name", "unknown item name",
  p("rule coffee earns\n  on purchase\n  earn 1 stars per item in category cofee   " + E + "E0326\n").replace(
    "  timezone America/New_York\n", "  timezone America/New_York\n  categories coffee, tea, pastry\n", 1),
  "Use a name from the program's `categories` (or `skus`) list, or add the name to the list."),
 ("E0325", "duplicate-transaction-label", "duplicate transaction label",
  test(f"  on 2026-03-02 alice buys {LATTE} as T1\n  on 2026-03-03 alice buys {LATTE} as T1   {E}E0325\n  expect alice has 18 stars\n"), "Give each event its own label (`T1`, `T2`)."),
 ("E0401", "mismatched-units", "mismatched units",
  rule(f"  when basket total + 5 >= $10   {E}E0401\n  earn 10 stars\n"), "Add values of the same unit: money with money."),
 ("E0402", "invalid-comparison", "invalid comparison",
  rule(f"  when date >= $10   {E}E0402\n  earn 10 stars\n"), "Compare a quantity with a value of its own kind: `date >= 2026-11-01`."),
 ("E0403", "invalid-multiplication", "invalid multiplication",
  rule(f"  when basket total * basket total >= $10   {E}E0403\n  earn 10 stars\n"), "Multiply money by a plain number or a percentage."),
 ("E0404", "non-boolean-condition", "non-boolean condition",
  rule(f"  when basket total   {E}E0404\n  earn 10 stars\n"), "Compare the value: `when basket total >= $20`."),
 ("E0405", "currency-mismatch", "currency mismatch",
  rule(f"  when basket total >= €20   {E}E0405\n  earn 10 stars\n"), "Write amounts in the program's currency (`$20` in a USD program)."),
 ("E0406", "wrong-unit", "wrong unit",
  PRELUDE.replace("  worth $0.01", f"  worth 5   {E}E0406"), "Give the clause a value of the unit it needs: `worth $0.01`."),
 ("E0407", "invalid-division", "invalid division",
  rule(f"  when basket total / 0 >= $1   {E}E0407\n  earn 10 stars\n"), "Divide by a non-zero constant."),
 ("E0501", "missing-program", "missing program",
  f"points stars   {E}E0501\n  worth $0.01\n\nrule base earn\n  on purchase\n  earn 2 stars per $1 spent\n", "Add a `program` declaration with its currency and time zone."),
 ("E0502", "duplicate-clause", "duplicate clause",
  PRELUDE.replace("  currency USD\n", f"  currency USD\n  currency EUR   {E}E0502\n"), "Keep one of the clauses."),
 ("E0503", "missing-clause", "missing clause",
  PRELUDE.replace("  currency USD\n", "").replace('program "Demo"', f'program "Demo"   {E}E0503'), "Add the clause the declaration needs (`currency USD`)."),
 ("E0504", "invalid-tier-order", "invalid tier order",
  p("tiers by spend over last 12 months\n  green from $0\n  gold from $500\n"
    f"  reserve from $100   {E}E0504\n\nrule vip\n  on purchase\n  when tier is reserve\n  earn 10 stars\n"), "List tiers from the lowest threshold to the highest, each above the last."),
 ("E0505", "missing-trigger", "missing trigger",
  p(f"rule bonus   {E}E0505\n  earn 10 stars\n"), "Add `on purchase` (or `on signup`, `on event NAME`)."),
 ("E0506", "missing-effect", "missing effect",
  p(f"rule bonus   {E}E0506\n  on purchase\n"), "Add an `earn`, `multiply` or `give` clause."),
 ("E0507", "invalid-limit", "invalid limit",
  rule(f"  earn 10 stars\n  at most 0 times per day   {E}E0507\n"), "Allow at least one award: `at most once per day`."),
 ("E0508", "value-out-of-range", "value out of range",
  p(f"stamps coffee card\n  collect 1 per item in category coffee\n  every 0 stamps: cheapest item in category coffee is free   {E}E0508\n"), "Use a number in the accepted range, such as `every 10 stamps`."),
 ("E0509", "duplicate-program", "duplicate program",
  p(f'program "Again"   {E}E0509\n  currency USD\n  timezone America/New_York\n'), "Keep one `program` declaration per program."),
 ("E0510", "invalid-replacement", "invalid replacement",
  p(f"rule pastry triple\n  on purchase\n  earn 6 stars per $1 spent on category pastry\n  replaces pastry triple for those items   {E}E0510\n"), "Replace another rule that earns per spend, such as `replaces base earn`."),
 ("E0520", "invalid-reaches", "invalid reaches",
  rule(f"  when tier reaches gold   {E}E0520\n  earn 10 stars\n"), "Use `reaches` with `visits …`, `spend …` or `purchases so far`; compare other quantities with `is` or `>=`."),
 ("E0521", "trigger-duration-unit", "trigger duration unit",
  rule(f"  when birthday within 1 month   {E}E0521\n  earn 10 stars\n"), "Write the window in days or weeks (`within 30 days`); months and years differ in length."),
 ("E0522", "referrer-points-not-flat", "referrer points not flat",
  rule(f"  when referred\n  earn 2 stars per $1 spent for referrer   {E}E0522\n"), "Give the referrer a flat amount (`earn 300 stars for referrer`)."),
 ("E0523", "hold-without-purchase", "hold without purchase",
  p(f"rule friend joined\n  on signup\n  when referred\n  earn 50 stars for referrer held 14 days   {E}E0523\n"), "Remove `held …` to pay the referrer at once, or trigger the rule `on purchase`."),
 ("E0524", "card-threshold-unit", "card threshold unit",
  p(f'stamps fuel card\n  collect spend not in category giftcard\n  every 100 stamps: voucher "Fuel" worth $0.10   {E}E0524\n'), "Fill a spend card with money (`every $100 spent:`), a stamp card with stamps (`every 10 stamps:`)."),
 ("E0530", "event-out-of-order", "event out of order",
  test(f"  on 2026-03-05 alice buys {LATTE}\n  on 2026-03-02 alice buys {LATTE}   {E}E0530\n  expect alice has 18 stars\n"), "Write the events of a test in the order they happen."),
 ("E0531", "expectation-without-event", "expectation without event",
  test(f"  expect alice earns 9 stars   {E}E0531\n  on 2026-03-02 alice buys {LATTE}\n"), "Put an expectation about an event right after that event's `on` line; use `expect NAME has …` for the account."),
 ("E0532", "invalid-return", "invalid return",
  test(f"  on 2026-03-02 alice buys {LATTE} as T1\n  on 2026-03-03 alice returns 2 latte from T1   {E}E0532\n  expect alice has 0 stars\n"), "Return only items the purchase had and has not returned yet."),
 ("E0533", "ambiguous-stamp-card", "ambiguous stamp card",
  p("stamps coffee card\n  collect 1 per item in category coffee\n  every 10 stamps: cheapest item in category coffee is free\n\nstamps tea card\n  collect 1 per item in category tea\n  every 10 stamps: cheapest item in category tea is free\n\ntest two cards\n  customer alice\n  on 2026-03-02 alice buys 1 latte at $4.50 (coffee)\n  expect alice has 1 stamp   " + E + "E0533\n"), "Name the card: `1 stamp on coffee card`."),
 ("E0534", "unsupported-test-step", "unsupported test step",
  test(f"  on 2026-03-02 alice signs up\n  expect alice pays $0.00   {E}E0534\n"), "Expect `pays` after a purchase or a return."),
 ("E0535", "return-policy-without-purchase", "return policy without purchase",
  p(f"rule welcome\n  on signup\n  earn 100 stars\n  on return keep awards   {E}E0535\n"), "Remove the clause: only a purchase can be returned, so only a rule `on purchase` has awards a return could take back."),
 ("E0536", "rounding-unit-on-points", "rounding unit on points",
  rule(f"  earn 1 stars per $3 spent\n  round half up to whole units   {E}E0536\n"), "Points are whole: write `round half up` without a unit. Units (`to the cent`, `to whole units`) are for discounts and rebates."),
 ("E0537", "rounding-without-amount", "rounding without an amount",
  rule(f"  earn 200 stars\n  round half up   {E}E0537\n"), "Remove the `round` clause: a flat bonus is whole already. `round` belongs on rules that earn per spend or per item, or `multiply`; a discount rounds on its own line."),
 ("E0538", "rounding-unit-too-small", "rounding unit too small",
  'program "Demo"\n  currency JPY\n  timezone Asia/Tokyo\n\n'
  f"rule happy hour\n  on purchase\n  discount 15% on basket round half up to the cent   {E}E0538\n",
  "Round to the currency's smallest unit (leave out the unit) or to `whole units`."),
 ("E0539", "conflicting-rounding", "conflicting rounding",
  p("rule weekend double\n  on purchase\n  when weekday is Saturday\n  multiply stars by 1.5\n  round up\n\n"
    f"rule member triple\n  on purchase\n  when segment is \"member\"\n  multiply stars by 3\n  round down   {E}E0539\n"),
  "Give every `multiply` of the currency the same `round`, or state the rounding on the earning rules."),
 ("E0540", "invalid-calendar-window", "invalid calendar window",
  p(f"tiers by spend over last 0 calendar months   {E}E0540\n  member  from $0\n  gold    from $500   earn x2\n"), "Count at least the current period (`last 12 calendar months` is this month and the 11 before it); for days write `last 7 days`, which already counts whole local days."),
 ("E0541", "unknown-customer-time-zone", "unknown customer time zone",
  test(f"  on 2026-03-02 alice buys {LATTE}\n  expect alice earns 9 stars\n",
       customers=f"  customer alice, timezone America/New_Yrok   {E}E0541\n"),
  "Write an IANA identifier such as `America/New_York` (abbreviations such as `EST` are ambiguous)."),
 ("E0542", "customer-time-zone-ignored", "customer time zone ignored",
  test(f"  on 2026-03-02 alice buys {LATTE}\n  expect alice earns 9 stars\n",
       customers=f"  customer alice, timezone Europe/Paris   {E}E0542\n"),
  "Add `calendar in customer time zones` to the program so that each customer's calendar runs in their own zone, or remove the customer's `timezone`."),
 ("E0515", "zero-cap", "zero cap",
  rule(f"  earn 1 stars per $1 spent on category bread\n  cap stars at 0 per day   {E}E0515\n"), "Cap at more than zero, or remove the earning."),
 ("E0516", "discount-over-whole", "discount over whole",
  rule(f"  discount 150% on basket   {E}E0516\n"), "Discount at most `100%`."),
 ("E0517", "conflicting-group-mode", "conflicting group mode",
  p("rule weekday ten\n  on purchase\n  discount 10% on basket\n  group weekday deals\n\n"
    f"rule tuesday twenty\n  on purchase\n  when weekday is Tuesday\n  discount 20% on basket\n  best of weekday deals   {E}E0517\n"),
  "Use `group NAME` (highest priority wins) or `best of NAME` (best for the customer wins) in every rule of the group."),
 ("E0518", "invalid-deal", "invalid deal",
  rule(f"  buy 3 in category snacks pay for 3   {E}E0518\n"), "Pay for fewer units than are bought: `buy 3 … pay for 2`."),
 ("E0519", "zero-budget", "zero budget",
  rule(f"  discount 10% on basket\n  budget $0 per month   {E}E0519\n"), "Give the rule a budget above zero, or remove the rule."),
 ("W0101", "unused-points-currency", "unused points currency",
  p(f"points gems   {W}W0101\n  worth $0.10\n"), "Earn or spend the currency, or remove it."),
 ("W0102", "rule-never-fires", "rule never fires",
  rule(f"  when weekday is Monday and weekday is Tuesday   {W}W0102\n  earn 10 stars\n"), "Fix the condition so that it can be true."),
 ("W0103", "unused-tiers", "unused tiers",
  p(f"tiers by spend over last 12 months   {W}W0103\n  green from $0\n  gold from $500\n"), "Give levels an `earn x…` multiplier or read `tier` in a condition."),
 ("W0104", "unused-reward", "unused reward",
  p(f"points gems\n  worth $0.10\n\nreward tote bag costs 500 gems, worth $10   {W}W0104\n"), "Earn the currency the reward costs, or price it in one that is earned."),
 ("W0105", "redundant-condition", "redundant condition",
  rule(f"  when basket total >= $0   {W}W0105\n  earn 10 stars\n"), "Remove the `when` clause or make it restrict something."),
 ("W0110", "calendar-limit-on-date-window", "calendar limit on a date window",
  rule(f"  when birthday within 7 days\n  earn 100 stars\n  at most once per year   {W}W0110\n"), "Write `at most once per birthday` (or `per signup anniversary`): one award per occurrence, whichever calendar year its window falls in."),
 ("W0111", "referrer-not-required", "referrer not required",
  rule(f"  when basket total >= $20\n  earn 300 stars for referrer   {W}W0111\n"), "Add `when referred`, so customers without a referrer do not fire the rule."),
 ("W0114", "test-without-expectations", "test without expectations",
  p(f"test nothing checked   {W}W0114\n  customer alice\n  on 2026-03-02 alice buys {LATTE}\n"), "Add `expect` lines that pin what the events must do."),
 ("W0115", "unhandled-test-event", "unhandled test event",
  test(f"  on 2026-03-02 alice triggers referal   {W}W0115\n  expect alice has 0 stars\n"), "Name an event a rule reacts to (`on event NAME`), or add the rule."),
 ("W0116", "similar-item-name", "similar item name",
  p("rule coffee earns\n  on purchase\n  earn 1 stars per item in category coffee, tea\n\n"
    f"rule free pastry\n  on purchase\n  cheapest item in category cofee, tea is free   {W}W0116\n"),
  "Correct the name (`coffee`). If both names are real categories, list the program's categories (`categories coffee, cofee, tea` under `program`): a listed name is never a typo, and an unlisted one is E0326."),
 ("W0117", "rule-window-closed", "rule window closed",
  "# perk check --as-of 2026-06-01\n" + rule(f"  when date in 2026-03-01 to 2026-03-31   {W}W0117\n  earn 50 stars\n", name="spring sale"),
  "Move the dates into the future, or remove the rule once the promotion is over. Only `perk check --as-of DATE` gives this warning (the first line of the example says which date): without a date a check never depends on the clock."),
 ("W0118", "identical-rules", "identical rules",
  p(f"rule base earn again   {W}W0118\n  on purchase\n  earn 2 stars per $1 spent\n"),
  "Remove one of the rules; if only one of them should fire, put both in a `group`."),
 ("W0119", "rule-replaced-entirely", "rule replaced entirely",
  p("rule double stars\n  on purchase\n  earn 4 stars per $1 spent\n  replaces base earn for those items\n").replace(
    "rule base earn\n", f"rule base earn   {W}W0119\n", 1),
  "Give the replacing rule a condition (`when weekday is Tuesday`) or narrower items (`per $1 spent on category coffee`), or remove the rule it replaces."),
 ("W0120", "overlapping-promotions", "overlapping promotions",
  p("rule coffee off\n  on purchase\n  discount 10% on category coffee\n\n"
    f"rule free pastry   {W}W0120\n  on purchase\n  cheapest item in category coffee, pastry is free\n"),
  "State how the promotions combine: `group NAME` on both (only the higher priority fires), `best of NAME` on both (the one worth more fires), or a `priority` on one (both fire, in that order)."),
 ("W0121", "balance-out-of-reach", "balance out of reach",
  p("rule welcome\n  on signup\n  earn 100 stars\n  at most once\n\nrule loyal\n  on purchase\n"
    f"  when stars balance >= 500   {W}W0121\n  earn 10 stars\n  at most 3 times\n").replace("  earn 2 stars per $1 spent\n", "  earn 20 stars\n  at most once\n", 1),
  "Lower the threshold, or let customers earn more (an unlimited rule) or keep more."),
 ("W0122", "excluded-items", "excluded items",
  rule(f"  when basket items in category coffee = 0   {W}W0122\n  discount 10% on category coffee\n", name="coffee deal"),
  "Make the condition and the effects name the same items the way you mean them: here probably `when basket items in category coffee >= 1`."),
 ("W0123", "visits-out-of-reach", "visits out of reach",
  rule(f"  when visits in last 30 days >= 31   {W}W0123\n  earn 100 stars\n", name="regulars"),
  "Lower the count (`>= 12`) or widen the window (`over last 3 months`)."),
 ("W0124", "tier-out-of-reach", "tier out of reach",
  p(f"tiers by visits over last 30 days\n  regular from 0 visits earn x1\n  gold from 40 visits earn x2   {W}W0124\n"),
  "Lower the threshold (`gold from 20 visits`) or widen the window (`over last 12 months`)."),
 ("W0108", "unreachable-in-group", "unreachable in group",
  p("rule weekday ten\n  on purchase\n  discount 10% on basket\n  group weekday deals\n  priority 2\n\n"
    f"rule tuesday twenty\n  on purchase\n  when weekday is Tuesday\n  discount 20% on basket\n  group weekday deals   {W}W0108\n"),
  "Give the hidden rule a higher `priority`, or give the winning rule a condition."),
 ("W0109", "single-rule-group", "single rule group",
  rule(f"  discount 10% on basket\n  group weekday deals   {W}W0109\n"), "Put the rules that exclude each other in the same group, or remove the clause."),
]

def rebate(body, name="annual volume"):
    return p(f"rebate {name}\n" + body)

# Volume rebates.
EXAMPLES += [
 ("E0216", "bracket-without-mode", "bracket without mode",
  rebate(f"  measure net spend per calendar year\n  from $10,000 2%   {E}E0216\n"),
  "Put `retroactive` (the whole volume at the reached rate) or `incremental` (each slice at its own rate) on the line above the brackets."),
 ("E0217", "invalid-fiscal-year-start", "invalid fiscal year start",
  rebate(f"  measure net spend per fiscal year starting February 29   {E}E0217\n  retroactive\n    from $10,000 2%\n"),
  "Start the fiscal year on a day every year has, such as `March 1`."),
 ("E0319", "unknown-rebate", "unknown rebate",
  rebate("  measure net spend per calendar year\n  retroactive\n    from $10,000 2%\n")
  + f"\ntest ten thousand reaches two percent\n  customer acme\n  on 2026-03-10 acme buys 10 pallet at $1,000.00\n  expect acme accrues $200.00 on anual volume   {E}E0319\n",
  "Name a rebate declared with `rebate`; the help suggests the closest name."),
 ("E0525", "invalid-bracket-order", "invalid bracket order",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    from $10,000 2%\n    from $5,000 3.5%   {E}E0525\n"),
  "List brackets from the lowest threshold to the highest, `below` first."),
 ("E0526", "rebate-rate-out-of-range", "rebate rate out of range",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    from $10,000 120%   {E}E0526\n"),
  "Use a rate from 0% to 100%."),
 ("E0527", "settlement-shorter-than-measure", "settlement shorter than measure",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    from $10,000 2%\n  settle at end of quarter   {E}E0527\n"),
  "Settle at the end of the measured period or later; report progress with `statement at end of quarter`."),
 ("E0528", "growth-period-mismatch", "growth period mismatch",
  rebate(f"  measure net spend per calendar year\n  growth 1% of spend above last quarter's   {E}E0528\n"),
  "Compare with the measured period: `above last year's`."),
 ("E0529", "bracket-gap", "bracket gap",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    below $10,000 0%\n    from $12,000 2%   {E}E0529\n"),
  "Start the first `from` bracket where `below` ends: `from $10,000 2%`."),
 ("W0112", "rebate-never-pays", "rebate never pays",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    below $10,000 0%\n    from $10,000 0%\n", name=f"annual volume   {W}W0112"),
  "Give at least one bracket a rate above 0%, or remove the rebate."),
 ("W0113", "redundant-statement", "redundant statement",
  rebate(f"  measure net spend per calendar year\n  retroactive\n    from $10,000 2%\n  settle at end of year\n  statement at end of year   {W}W0113\n"),
  "Issue statements more often than settlement (`statement at end of quarter`), or remove the clause."),
]

# Contact: messages and the triggers that time them.
EXAMPLES += [
 ("E0556", "unknown-placeholder", "unknown placeholder",
  rule(f'  send message "You have {{star balance}} stars"   {E}E0556\n'),
  "Use a placeholder Perk knows: `{customer}`, `{tier}`, `{voucher}`, `{POINTS balance}`, `{POINTS expiring}`, `{POINTS expiry date}`, `{CARD stamps to go}`; the help suggests the closest."),
 ("E0557", "placeholder-without-value", "placeholder without value",
  rule(f'  send message "Your {{voucher}} is waiting"   {E}E0557\n'),
  "Give the value in the same rule (`give voucher \"Birthday drink\" worth $5` for `{voucher}`, a `tiers` declaration for `{tier}`, `on 7 days before POINTS expire` for `{POINTS expiring}`), or remove the placeholder."),
 ("E0558", "unknown-channel", "unknown channel",
  rule(f'  send message "Thanks for your visit" via fax   {E}E0558\n'),
  "Send `via email` (the default), `via sms`, `via push` or `via receipt`."),
 ("E0559", "invalid-contact-trigger", "contact trigger on points that never expire",
  p(f'rule expiry warning\n  on 7 days before stars expire   {E}E0559\n  send message "Your stars expire soon"\n'),
  "Give the currency an `expire …` clause, or time the rule another way."),
 ("E0560", "receipt-without-purchase", "receipt without purchase",
  p(f'rule we miss you\n  on 60 days without purchase   {E}E0560\n  send message "We miss you" via receipt\n'),
  "Send it `via email`, `via sms` or `via push`: a period end prints no receipt."),
 ("E0561", "empty-quiet-hours", "empty quiet hours",
  PRELUDE.replace("  timezone America/New_York\n", f"  timezone America/New_York\n  quiet hours 9:00 to 9:00   {E}E0561\n"),
  "Give the hours during which messages wait, such as `quiet hours 21:00 to 8:00` (across midnight)."),
]

# Codes whose docs section is prose: a Markdown file cannot hold E0107's invalid byte, and
# E0204's example is 140 parentheses. Their goldens are generated all the same.
PROSE_ONLY = {"E0107", "E0204"}

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Tests", "PerkCLITests", "Diagnostics")
    os.makedirs(out, exist_ok=True)
    for code, name, _, text, _ in EXAMPLES:
        # surrogateescape writes E0107's lone byte 0xE9 as the raw byte it stands for.
        with open(os.path.join(out, f"{code}-{name}.perk"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
    sections = []
    for code, name, title, text, fix in EXAMPLES:
        if code in PROSE_ONLY:
            continue
        block = "\n".join(l.split("   # ")[0] if ("# error: " in l or "# warning: " in l) else l for l in text.rstrip("\n").split("\n"))
        sections.append(f"## {code} {title}\n\n```perk-error {code}\n{block}\n```\n\n**Fix:** {fix}\n")
    with open(os.path.join(root, ".build", "diagnostics-examples.generated.md"), "w") as f:
        f.write("\n".join(sections))

if __name__ == "__main__":
    main()
