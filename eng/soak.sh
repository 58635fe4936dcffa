#!/usr/bin/env bash
# Memory soak: runs a scenario (default scenarios/soak.json: 50 req/s for 30 min) and samples the bench process's
# resident set size (VmRSS) every 15 s into <out>/memory.csv, then prints first/last/max RSS and the growth over
# the second half of the run. Usage: eng/soak.sh [scenario.json] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/soak.json}"
out="${2:-results/soak-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
# Built into the results folder so that later edits to the tree cannot change the binary under test.
dotnet build -c Release src/Bench.Cli --artifacts-path "$out/.build" >/dev/null
bench_dll=$(find "$out/.build/bin/Bench.Cli" -name bench.dll | head -n 1)
dotnet "$bench_dll" run "$scenario" --out "$out" >"$out/console.log" 2>&1 &
pid=$!
echo "elapsed_s,rss_mib" >"$out/memory.csv"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss_kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss_kib" ] && echo "$(( $(date +%s) - start )),$(( rss_kib / 1024 ))" >>"$out/memory.csv"
  sleep 15
done
wait "$pid"
# The first minute (start-up, JIT, connection pool filling) is left out of "settled"; the last samples include the
# report being built after the load ends.
awk -F, 'NR > 1 { t[NR] = $1; rss[NR] = $2; n = NR; if ($2 > max) max = $2; if ($1 >= 60 && !settled) settled = NR }
  END {
    q = settled + int((n - settled) / 2)
    printf "samples %d; RSS at %d s %d MiB, at %d s %d MiB, at %d s %d MiB; max %d MiB\n", n - 1, t[settled], rss[settled], t[q], rss[q], t[n], rss[n], max
  }' "$out/memory.csv"
echo "results: $out"
