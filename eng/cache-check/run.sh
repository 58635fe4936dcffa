#!/usr/bin/env bash
# The cache check (issue 15, point 5): what prompt caching saved, recomputed per cell from the records by an
# independent script (check.py, Python stdlib, exact fractions) and compared with summary.json to the cent.
#   fixture       a hand-made results folder (make-fixture.py: cache reads and writes, a relay's billing, a model without
#                 a cached price, a 429, a usage_issue, warm-up and dropped records) priced by `bench report DIR`, also at
#                 another --monthly-requests
#   real-traffic  scenarios/real-traffic.json on the embedded simulator (~1 min), which must bill cached tokens
#                 (--expect-cache): needs the simulator's prefix cache (issue 15, point 4)
# Exit 1 when any figure disagrees (check.py prints which). For .ci/run:  eng/cache-check/run.sh [OUT_DIR]
#   (default results/cache-check);  --fixture-only skips the simulator run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixture_only=0
if [[ "${1:-}" == "--fixture-only" ]]; then fixture_only=1; shift; fi
out=$(mkdir -p "${1:-$root/results/cache-check}" && cd "${1:-$root/results/cache-check}" && pwd)
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")
failed=0

check() { # DIR [check.py flags…]
  local dir=$1; shift
  printf '%-40s ' "$(basename "$dir") ${*:-}"
  if python3 "$here/check.py" "$dir" "$@" > "$dir/cache-check.log" 2>&1; then
    tail -1 "$dir/cache-check.log"
  else
    tail -1 "$dir/cache-check.log"; grep '^MISMATCH' "$dir/cache-check.log" | sed 's/^/    /'; failed=1
  fi
}

rm -rf "$out/fixture"
python3 "$here/make-fixture.py" "$out/fixture"
"${bench[@]}" report "$out/fixture" > "$out/fixture-report.log" 2>&1
check "$out/fixture" --expect-cache
"${bench[@]}" report "$out/fixture" --monthly-requests 40000 > "$out/fixture-report-40k.log" 2>&1
check "$out/fixture" --expect-cache --monthly-requests 40000

if [[ $fixture_only == 0 ]]; then
  "${bench[@]}" run "$root/scenarios/real-traffic.json" --out "$out/real-traffic" --force > "$out/real-traffic.log" 2>&1
  check "$out/real-traffic" --expect-cache
fi

exit $failed
