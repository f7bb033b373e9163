#!/usr/bin/env bash
# Builds one libFuzzer target in Fuzz/ against the stage modules and runs it (default 20 s).
# Usage: scripts/fuzz.sh TARGET [libFuzzer options...]     TARGET: check, history, json, repl
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh check|history|json|repl [libFuzzer options...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
target=$1
shift
# The stage modules each target links, in dependency order.
case "$target" in
  check) modules=(PerkSource PerkSyntax PerkRuntime PerkCompiler) ;;
  history) modules=(PerkSource PerkSyntax PerkRuntime PerkCompiler Perk PerkSimulator) ;;
  json) modules=(PerkSource PerkSyntax PerkRuntime PerkCompiler Perk PerkSimulator) ;;
  repl) modules=(PerkSource PerkSyntax PerkRuntime PerkCompiler Perk PerkOutput PerkREPL) ;;
  *) usage ;;
esac

out=.build/fuzz
mkdir -p "$out/$target/corpus"

flags=(-swift-version 6 -O -g -parse-as-library -package-name perk -sanitize=fuzzer,address -use-ld=lld -I "$out" -L "$out")
libs=()
rebuilt=0
# Each stage as its own static library, instrumented for coverage, in dependency order; a
# library is rebuilt when one of its sources, or a library it depends on, is newer.
for module in "${modules[@]}"; do
  sources=()
  while IFS= read -r -d '' f; do sources+=("$f"); done < <(find "Sources/$module" -name '*.swift' -print0 | sort -z)
  lib="$out/lib$module.a"
  if [ "$rebuilt" = 1 ] || [ ! -f "$lib" ] || [ -n "$(find "Sources/$module" -newer "$lib" -print -quit)" ]; then
    echo "fuzz: building $module" >&2
    swiftc "${flags[@]}" -module-name "$module" -emit-library -static -emit-module \
      -emit-module-path "$out/$module.swiftmodule" "${libs[@]}" "${sources[@]}" -o "$lib"
    rebuilt=1
  fi
  libs=("-l$module" "${libs[@]}")  # dependants first: static libraries link in order
done

harness=(Fuzz/"$target"/*.swift)
[ "$target" = check ] || harness+=(Fuzz/Shared/*.swift)
echo "fuzz: linking $out/perk-fuzz-$target" >&2
swiftc "${flags[@]}" -module-name PerkFuzz "${harness[@]}" "${libs[@]}" -o "$out/perk-fuzz-$target"

# The seeds: the repository's corpus for the target (the check target: the example programs
# and the diagnostic test inputs). New inputs go to .build/fuzz/TARGET/corpus only.
case "$target" in
  check) seeds=(rules Tests/PerkCLITests/Diagnostics Fuzz/corpus/check) ;;
  *) seeds=("Fuzz/corpus/$target") ;;
esac
# Inputs up to 64 KB from the start (libFuzzer's default is the largest seed, 4.7 KB for rule
# files, and with -len_control its limit grows from there only while no new coverage is
# found), and an input that runs 25 s is a hang; these defaults can be overridden.
defaults=()
case " $* " in *" -max_len="*) ;; *) defaults+=(-max_len=65536) ;; esac
case " $* " in *" -len_control="*) ;; *) defaults+=(-len_control=0) ;; esac
case " $* " in *" -timeout="*) ;; *) defaults+=(-timeout=25) ;; esac
# The programs these targets compile once are kept in statics, whose enum payloads hold
# pointers with tag bits LeakSanitizer does not follow: it reports them as leaks (per input
# with libFuzzer's check, and at exit with AddressSanitizer's).
if [ "$target" != check ]; then
  case " $* " in *" -detect_leaks="*) ;; *) defaults+=(-detect_leaks=0) ;; esac
  export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
if [ $# -eq 0 ]; then set -- -max_total_time=20; fi
# Arguments that are not options are inputs to re-run (a crash file): no corpus then.
corpus=("$out/$target/corpus" "${seeds[@]}")
for argument in "$@"; do
  case "$argument" in -*) ;; *) corpus=() ;; esac
done
exec "$out/perk-fuzz-$target" "${defaults[@]}" -print_final_stats=1 "$@" -artifact_prefix="$out/$target/" "${corpus[@]}"
