#!/usr/bin/env bash
# The shard check (issue 16): one plan (two cells of poisson arrivals on the embedded simulator, seed 42) run whole and
# as 3 local shards merged (`bench run --shards 3`), compared by check.py (stdlib): same requests and ids, the
# unsharded schedule in every shard, the shards' first schedules aligned, the same offered rate, merged percentiles
# beside the whole run's. About 1 min. For .ci/run:  eng/shard-check/run.sh [OUT_DIR]  (default results/shard-check)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/results/shard-check}" && cd "${1:-$root/results/shard-check}" && pwd)
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")
plan=(run scenarios/default.json --load poisson --rate 20 --duration 10s --models gemini-2.5-flash,deepseek-v3.2 --modes streaming,non-streaming --seed 42)
"${bench[@]}" "${plan[@]}" --out "$out/whole" --force > "$out/whole.log" 2>&1
"${bench[@]}" "${plan[@]}" --shards 3 --out "$out/sharded" --force > "$out/sharded.log" 2>&1
python3 "$here/check.py" "$out/whole" "$out/sharded"
