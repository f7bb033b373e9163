#!/usr/bin/env bash
# Builds the libFuzzer target in Fuzz/ against the stage modules and runs it (default 20 s).
# Usage: scripts/fuzz.sh [libFuzzer options...]
set -euo pipefail
cd "$(dirname "$0")/.."

out=.build/fuzz
mkdir -p "$out/corpus"
cp rules/*.perk Tests/PerkCLITests/Diagnostics/*.perk "$out/corpus/" 2>/dev/null || true

flags=(-swift-version 6 -O -g -parse-as-library -package-name perk -sanitize=fuzzer,address -I "$out" -L "$out")
libs=()
# Each stage as its own static library, instrumented for coverage, in dependency order.
for target in PerkSource PerkSyntax PerkRuntime PerkCompiler; do
  sources=()
  while IFS= read -r -d '' f; do sources+=("$f"); done < <(find "Sources/$target" -name '*.swift' -print0 | sort -z)
  swiftc "${flags[@]}" -module-name "$target" -emit-library -static -emit-module \
    -emit-module-path "$out/$target.swiftmodule" "${libs[@]}" "${sources[@]}" -o "$out/lib$target.a"
  libs=("-l$target" "${libs[@]}")  # dependants first: static libraries link in order
done

swiftc "${flags[@]}" -module-name PerkFuzz Fuzz/*.swift "${libs[@]}" -o "$out/perk-fuzz"

if [ $# -eq 0 ]; then set -- -max_total_time=20; fi
"$out/perk-fuzz" "$@" -artifact_prefix="$out/" "$out/corpus"
