#!/usr/bin/env bash
# Renders `perk sim --format html` (one program, and `--compare` of two) in headless Chromium
# (Debian's package) and checks what the browser laid out:
#  - the report names no network resource (self-contained);
#  - every expected section (`<section id=…>`) and chart (`data-chart=…`) is in the file;
#  - the report's inline script ran and counted every chart as laid out with marks
#    (`data-charts-rendered`), and recorded where each section is (`data-sections`);
#  - a full-page screenshot (PNG) has the page's size, and the strip of it where each expected
#    section was laid out is not blank (it has ink: text, tables, charts).
# Screenshots are kept in $HTML_REPORT_SHOTS when it is set (CI uploads them), else deleted.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
done
if [ -z "$browser" ]; then
  echo "check-html-report: installing chromium (apt-get)" >&2
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=""; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  browser=chromium
fi

perk="${PERK:-.build/debug/perk}"
if [ ! -x "$perk" ]; then swift build --product perk >/dev/null; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shots="${HTML_REPORT_SHOTS:-$work/shots}"
mkdir -p "$shots"
width=1100

fail() { echo "check-html-report: $*" >&2; exit 1; }

chrome() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
    --force-device-scale-factor=1 --user-data-dir="$work/profile" --virtual-time-budget=5000 "$@" 2>/dev/null
}

# check NAME FILE SECTIONS CHARTS: the whole check of one report.
check() {
  local name="$1" report="$2" sections="$3" charts="$4"
  # Self-contained: no scripts, styles, images or fonts from the network (the SVG namespace is a name, not a fetch).
  if grep -o 'https\?://[^" ]*' "$report" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
    fail "$name: the report references the network"
  fi
  if grep -Eq ' (src|href)=|url\(|@import' "$report"; then fail "$name: the report loads a resource"; fi
  for section in $sections; do
    grep -q "<section id=\"$section\">" "$report" || fail "$name: section \`$section\` is missing"
  done
  for chart in $charts; do
    grep -q "data-chart=\"$chart\"" "$report" || fail "$name: chart \`$chart\` is missing"
  done
  local expected dom rendered boxes height
  expected="$(grep -o 'data-chart="[^"]*"' "$report" | wc -l | tr -d ' ')"

  # The same width as the screenshot: the sections' places depend on it.
  dom="$(chrome --window-size="$width,1000" --dump-dom "file://$report")"
  rendered="$(printf '%s' "$dom" | grep -o 'data-charts-rendered="[0-9]*"' | head -1 | grep -o '[0-9]*' || true)"
  [ -n "$rendered" ] || fail "$name: the browser did not run the report's check (no data-charts-rendered)"
  [ "$rendered" = "$expected" ] || fail "$name: $rendered of $expected charts rendered"
  boxes="$(printf '%s' "$dom" | grep -o 'data-sections="[^"]*"' | head -1 | sed 's/^data-sections="//; s/"$//')"
  height="$(printf '%s' "$dom" | grep -o 'data-page-height="[0-9]*"' | head -1 | grep -o '[0-9]*' || true)"
  [ -n "$height" ] && [ -n "$boxes" ] || fail "$name: the browser did not record the sections' layout"

  chrome --window-size="$width,$height" --screenshot="$shots/$name.png" "file://$report" >/dev/null
  [ -s "$shots/$name.png" ] || fail "$name: no screenshot"
  python3 - "$shots/$name.png" "$width" "$height" "$boxes" "$sections" <<'PY' || fail "$name: the screenshot does not show the expected sections"
import struct, sys, zlib
path, width, height, boxes, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(), sys.argv[5].split()
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8, f"bit depth {depth}"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
if (w, h) != (width, height):
    sys.exit(f"screenshot is {w}x{h}, expected {width}x{height}")
channels = {2: 3, 6: 4}[ctype]
raw, stride = zlib.decompress(idat), w * channels
rows, prev, at = [], bytearray(stride), 0
for _ in range(h):
    kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
    at += 1 + stride
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b, c = prev[i], prev[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + a) & 255
        elif kind == 2: line[i] = (line[i] + b) & 255
        elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
def ink(top, bottom):
    """Pixels in rows top..bottom that are not the white page."""
    return sum(1 for y in range(max(0, top), min(h, bottom)) for x in range(0, stride, channels)
               if rows[y][x:x + 3] != b"\xff\xff\xff")
laid = {}
for box in boxes:
    name, top, size = box.rsplit(":", 2)
    laid[name] = (int(top), int(top) + int(size))
for name in expected:
    if name not in laid:
        sys.exit(f"section {name} was not laid out")
    top, bottom = laid[name]
    if bottom - top < 20 or ink(top, bottom) < 200:
        sys.exit(f"section {name} is blank in the screenshot (rows {top}-{bottom})")
print(f"{len(expected)} sections drawn in a {w}x{h} screenshot")
PY
  echo "check-html-report: $name: $rendered of $expected charts rendered, sections $(echo "$sections" | tr ' ' ',') drawn ($shots/$name.png)"
}

single="run summary cost monthly refunds redemptions points-1 tiers distribution"
charts="cost-per-month revenue-per-month cost-share-per-month refunds redemptions rewards-redeemed-count rewards-redeemed-value points-flow tier-populations cost-distribution"
"$perk" sim --threads 1 --format html --out "$work/report.html" 2>/dev/null
check single "$work/report.html" "$single" "$charts"

# Two versions of the built-in program with the same name: the sides are named by file.
sed 's/earn 2 stars per \$1 spent/earn 3 stars per $1 spent/' rules/cafe.perk > "$work/cafe-v2.perk"
"$perk" gen --customers 200 --months 12 --seed 7 --out "$work/history.csv" 2>/dev/null
"$perk" sim rules/cafe.perk --history "$work/history.csv" --compare "$work/cafe-v2.perk" --redeem asap --threads 1 --format html --out "$work/compare.html" 2>/dev/null
grep -q '<h2>Comparison: A = cafe.perk, B = cafe-v2.perk</h2>' "$work/compare.html" || fail "compare: the sides are not named by file"
check compare "$work/compare.html" "$single compare" "$charts compare-cost-per-month compare-differences"
echo "check-html-report: both reports pass in $("$browser" --version 2>/dev/null | head -1)"
