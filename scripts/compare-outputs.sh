#!/usr/bin/env bash
# Writes the outputs of a fixed set of `perk` commands to a directory, so that two builds can be
# compared byte for byte (issue 17: a performance change must change no output).
#
#   scripts/compare-outputs.sh PERK_BINARY OUTDIR [DATADIR]
#   diff -r OUTDIR_OF_ONE_BUILD OUTDIR_OF_THE_OTHER        # must print nothing
#
# Run it from the repository root. DATADIR (default /tmp/perk-compare-data) holds the generated
# histories; they are made with PERK_BINARY's `perk gen` when missing (seeded: the same bytes
# every time), so make them once with either build. Give both builds the same DATADIR: its path
# appears in the reports. Covers every rules/*.perk program as JSON
# with a customers file, `--redeem rate:0.7` and `--trace`, as text, and as JSON without
# customers, on 1 and 2 threads; the sparse CD club (more than one partition) as text, JSON and
# trace; a 30-year history; a sparse history with returns and its trace; `perk test rules`; and
# `perk eval --stream` of every program. The run's timing line (standard error) is removed.
set -u
if [ $# -lt 2 ]; then echo "usage: $0 PERK_BINARY OUTDIR [DATADIR]" >&2; exit 2; fi
B=$(readlink -f "$1"); O=$2; D=${3:-/tmp/perk-compare-data}; R=rules
mkdir -p "$D"
if [ ! -f "$D/ready" ]; then
  "$B" gen --customers 500 --months 12 --seed 7 --out "$D/cafe500.csv"
  "$B" gen --customers 2000 --months 12 --seed 8 --out "$D/cafe2000.csv"
  "$B" gen --customers 150000 --months 18 --seed 11 --shape sparse --out "$D/sparse.csv"
  "$B" gen --customers 3000 --months 360 --seed 5 --shape sparse --start 1996-01-01 --out "$D/long.csv"
  "$B" gen --customers 20000 --months 24 --seed 3 --shape sparse --out "$D/returns.csv"
  python3 - "$D" <<'PY'
import json, random, sys
d = sys.argv[1]
random.seed(3)
rows = [l.split(',') for l in open(f'{d}/cafe500.csv').read().splitlines()[1:]]
ids = sorted({r[0] for r in rows})
with open(f'{d}/customers500.csv', 'w') as f:
    f.write('customer,birthday,signup_date,segment,referred_by,timezone\n')
    for c in ids:
        ref = random.choice(ids) if random.random() < 0.1 else ''
        f.write(f"{c},19{random.randint(50, 99)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d},"
                f"2025-{random.randint(1, 12):02d}-{random.randint(1, 28):02d},{random.choice(['', 'vip', 'staff'])},"
                f"{'' if ref == c else ref},{random.choice(['', '', 'America/Chicago', 'Europe/London'])}\n")
    f.write("ghost1,1980-01-01,2025-06-01,,c0001,\n")
baskets, order = {}, []
for r in rows:
    if r[1] not in baskets: order.append(r[1]); baskets[r[1]] = []
    baskets[r[1]].append(r)
with open(f'{d}/stream.jsonl', 'w') as f:
    for txn in order[:300]:
        first = baskets[txn][0]
        if first[7] != 'purchase': continue
        event = {"type": "purchase", "id": txn, "time": first[2] + "-05:00",
                 "lines": [{"sku": r[3], "category": r[4], "qty": int(r[5]), "unit_price": r[6]} for r in baskets[txn]]}
        f.write(json.dumps({"customer": first[0], "event": event}) + "\n")
PY
  # The CD club of perk-benchmark's sparse workload, taken from its one copy (Benchmark.cdClubSource).
  sed -n '/static let cdClubSource = """/,/^    """$/p' Sources/PerkBenchmark/main.swift | sed '1d;$d' | sed 's/^    //' \
    > "$D/cd-club.perk"
  grep -q '^program "CD Club"' "$D/cd-club.perk" || { echo "$0: Benchmark.cdClubSource not found" >&2; exit 1; }
  touch "$D/ready"
fi
rm -rf "$O"; mkdir -p "$O"
for f in $R/*.perk; do
  n=$(basename "$f" .perk)
  for t in 1 2; do
    "$B" sim "$f" --history "$D/cafe500.csv" --customers "$D/customers500.csv" --format json --redeem rate:0.7 \
      --trace "$O/$n.t$t.trace" --threads $t > "$O/$n.t$t.json" 2> "$O/$n.t$t.err"; echo "rc=$?" >> "$O/$n.t$t.err"
    "$B" sim "$f" --history "$D/cafe2000.csv" --threads $t > "$O/$n.t$t.txt" 2>&1; echo "rc=$?" >> "$O/$n.t$t.txt"
  done
  "$B" sim "$f" --history "$D/cafe500.csv" --format json --threads 2 > "$O/$n.nocust.json" 2>&1
  "$B" eval "$f" --stream < "$D/stream.jsonl" > "$O/$n.stream.out" 2>&1
done
for t in 1 2; do
  "$B" sim "$D/cd-club.perk" --history "$D/sparse.csv" --threads $t > "$O/sparse.t$t.txt" 2>&1
  "$B" sim "$D/cd-club.perk" --history "$D/sparse.csv" --threads $t --format json > "$O/sparse.t$t.json" 2>&1
  "$B" sim $R/cafe.perk --history "$D/long.csv" --threads $t --format json > "$O/long.t$t.json" 2>&1
  "$B" sim "$D/cd-club.perk" --history "$D/returns.csv" --threads $t --format json --trace "$O/returns.t$t.trace" \
    --redeem asap > "$O/returns.t$t.json" 2>&1
done
"$B" sim "$D/cd-club.perk" --history "$D/sparse.csv" --threads 2 --format json --trace "$O/sparse.trace" > "$O/sparse.traced.json" 2>&1
"$B" test rules > "$O/test-rules.txt" 2>&1; echo "rc=$?" >> "$O/test-rules.txt"
grep -l "rows/s" "$O"/*.txt "$O"/*.json "$O"/*.err 2>/dev/null | xargs -r sed -i -E '/^perk sim: .*rows\/s/d'
echo "compare-outputs: wrote $(ls "$O" | wc -l) files to $O"
