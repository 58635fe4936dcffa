#!/usr/bin/env bash
# Measures the CI gate's false-alarm and detection rates with its default settings (README, "The CI gate").
#   eng/gate-check/run.sh [OUT_DIR]   (default results/gate-check; PAIRS=8 FACTOR=1.10 SCENARIO=scenarios/ci.json PARALLEL=1)
# Runs the CI scenario PAIRS + 1 times on the embedded simulator with different seeds, and PAIRS times against a copy of
# the profiles slowed by FACTOR (every latency × FACTOR: slow_profiles.py). Then compares, with `bench compare`'s
# defaults:
#   same-against-same: run i − 1 against run i (different seeds, same profiles): any exit 1 is a false alarm;
#   slowed:            run i − 1 against slowed run i: exit 1 is a detection, exit 0 a miss;
# and the same pairs once more on replicate 1 alone (a single run per side: the per-request path, its more
# conservative default). tally.py prints the rates and which metrics were flagged; every compare's JSON and Markdown
# stay in OUT_DIR/compare/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/results/gate-check}" && cd "${1:-$root/results/gate-check}" && pwd)
pairs=${PAIRS:-8}
factor=${FACTOR:-1.10}
scenario=${SCENARIO:-$root/scenarios/ci.json}
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")

# Two scenario folders that differ only in their profiles.
rm -rf "$out/same" "$out/slow"
mkdir -p "$out/same" "$out/slow" "$out/runs" "$out/compare"
cp "$scenario" "$out/same/scenario.json"
cp "$scenario" "$out/slow/scenario.json"
cp -r "$root/scenarios/profiles" "$out/same/profiles"
cp -r "$root/scenarios/replay" "$out/same/replay"   # the replay profile's recorded streams
python3 "$here/slow_profiles.py" "$root/scenarios/profiles" "$out/slow/profiles" "$factor"

run() { # kind seed
  local dir="$out/runs/$1-$2"
  if [[ -s "$dir/summary.json" ]]; then return; fi   # a re-run of the script keeps runs it already has
  echo "== run $1 seed $2"
  "${bench[@]}" run "$out/$1/scenario.json" --seed "$2" --out "$dir" --force > "$dir.log" 2>&1 || echo "   (bench run exited $?: see $dir.log)"
}
# PARALLEL runs at a time (default 1): two on a 2-core machine halve the wall time and make it the busy machine a CI
# runner is.
jobs=()
for i in $(seq 0 "$pairs"); do jobs+=("same $((100 + i))"); done
for i in $(seq 1 "$pairs"); do jobs+=("slow $((200 + i))"); done
for job in "${jobs[@]}"; do
  while (( $(jobs -rp | wc -l) >= ${PARALLEL:-1} )); do wait -n; done
  run $job &
done
wait

# Single-run folders: replicate 1 of each run, without its replicate number (what a plain `bench run` writes).
single() { # run-dir
  local dir="$1.r1"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$1/run.json" "$dir/run.json"
  python3 - "$1/records.jsonl" "$dir/records.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], 'w') as dst:
    for line in src:
        r = json.loads(line)
        if r.get('replicate', 1) == 1:
            r.pop('replicate', None)
            dst.write(json.dumps(r) + '\n')
PY
}

: > "$out/compare/exits.tsv"
compare() { # kind pair baseline current
  local name="$1-$2"
  set +e
  "${bench[@]}" compare "$3" "$4" --json "$out/compare/$name.json" --markdown "$out/compare/$name.md" > "$out/compare/$name.txt" 2>&1
  local code=$?
  set -e
  printf '%s\t%s\t%s\n' "$1" "$2" "$code" >> "$out/compare/exits.tsv"
}
for i in $(seq 1 "$pairs"); do
  base="$out/runs/same-$((100 + i - 1))"
  compare same "$i" "$base" "$out/runs/same-$((100 + i))"
  compare slowed "$i" "$base" "$out/runs/slow-$((200 + i))"
  single "$base"; single "$out/runs/same-$((100 + i))"; single "$out/runs/slow-$((200 + i))"
  compare same-single "$i" "$base.r1" "$out/runs/same-$((100 + i)).r1"
  compare slowed-single "$i" "$base.r1" "$out/runs/slow-$((200 + i)).r1"
done
python3 "$here/tally.py" "$out/compare"
