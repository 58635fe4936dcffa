#!/usr/bin/env bash
# The budget check (issue 18, point 6): the plan's money recomputed from the records by an independent script
# (check.py, Python stdlib) and compared with summary.json's plan block and the figures report.md's executive summary
# prints, to the cent. Runs two small scenarios on the embedded simulator (~1 min each) and rebuilds the report with
# what-if flags (bench report DIR --monthly-requests/--fx/--current), checking each:
#   budget-check   three traffic classes (chat, bulk, overnight tolerating a batch turnaround), three models × three modes
#   relay          the direct API against a ¥1 = $1 relay at a market rate of ¥7.3, two classes, current = the direct cell
# Exit 1 when any figure disagrees (check.py prints which). For .ci/run:  eng/budget-check/run.sh
#   eng/budget-check/run.sh [OUT_DIR]      (default results/budget-check)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/results/budget-check}" && cd "${1:-$root/results/budget-check}" && pwd)
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")
failed=0

check() { # DIR [flags…]: check.py with the flags bench report was given
  local dir=$1; shift
  printf '%-60s ' "$(basename "$dir") ${*:-(as run)}"
  if python3 "$here/check.py" "$dir" "$@" --quiet > "$dir/budget-check.log" 2>&1; then
    tail -1 "$dir/budget-check.log"
  else
    tail -1 "$dir/budget-check.log"; grep '^MISMATCH' "$dir/budget-check.log" | sed 's/^/    /'; failed=1
  fi
}

report() { # DIR flags…: rebuild the report with what-if flags, then check it with the same flags
  local dir=$1; shift
  "${bench[@]}" report "$dir" "$@" > "$dir/report-whatif.log" 2>&1
  check "$dir" "$@"
}

"${bench[@]}" run "$here/scenario.json" --out "$out/classes" --force > "$out/classes.log" 2>&1
check "$out/classes"
report "$out/classes" --monthly-requests 2500000 --fx CNY=7.3 --current gpt-4.1:streaming
report "$out/classes" --fx CNY=7.3 --current 80000CNY
report "$out/classes" --monthly-requests 40000 --current 12000USD

"${bench[@]}" run "$here/relay.json" --out "$out/relay" --force --fx CNY=7.3 --current gpt-4.1:streaming@direct > "$out/relay.log" 2>&1
check "$out/relay"
report "$out/relay" --monthly-requests 5000000 --current claude-sonnet-4.5:non-streaming@direct

exit $failed
