#!/usr/bin/env bash
# Renders `perk sim --format html` in headless Chromium (Debian's package) and checks that the
# browser laid out every chart: cost per month, points flow, tier populations and the
# cost-per-customer distribution. The report's inline script counts the SVG charts with a
# non-empty bounding box and marks; the check reads that count from the rendered DOM.
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
"$perk" sim --threads 1 --format html --out "$work/report.html" 2>/dev/null

# Self-contained: no scripts, styles, images or fonts from the network (the SVG namespace is a name, not a fetch).
if grep -o 'https\?://[^" ]*' "$work/report.html" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
  echo "check-html-report: the report references the network" >&2
  exit 1
fi

expected=0
for chart in cost-per-month points-flow tier-populations cost-distribution; do
  if ! grep -q "data-chart=\"$chart\"" "$work/report.html"; then
    echo "check-html-report: chart \`$chart\` is missing" >&2
    exit 1
  fi
done
expected="$(grep -o 'data-chart="[^"]*"' "$work/report.html" | wc -l | tr -d ' ')"

dom="$("$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/profile" --virtual-time-budget=5000 --dump-dom "file://$work/report.html" 2>/dev/null)"
rendered="$(printf '%s' "$dom" | grep -o 'data-charts-rendered="[0-9]*"' | head -1 | grep -o '[0-9]*' || true)"
if [ -z "$rendered" ]; then
  echo "check-html-report: the browser did not run the report's check (no data-charts-rendered)" >&2
  exit 1
fi
if [ "$rendered" != "$expected" ]; then
  echo "check-html-report: $rendered of $expected charts rendered" >&2
  exit 1
fi
echo "check-html-report: $rendered of $expected charts rendered in $("$browser" --version 2>/dev/null | head -1)"
