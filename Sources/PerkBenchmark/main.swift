// perk-benchmark: filled in with issue 4's measurements.
print("perk-benchmark: no measurements yet")
