#!/usr/bin/env bash
# Refreshes the committed baselines (README, "The CI gate"): run it on a quiet machine after a change that moves the
# figures on purpose (a profile recalibrated, the CI scenario changed), read `bench compare`'s verdict against the old
# baseline it prints, and commit results/baselines/ with a message that says why.
#   eng/gate-check/refresh-baseline.sh [sim|micro|all]   (default: sim)
# sim:   scenarios/ci.json on the embedded simulator (seed 42, 5 replicates) → results/baselines/sim-ci: run.json and
#        records.jsonl (what `bench compare` reads), summary.json and report.md (for people); the other report files
#        are rebuilt from them with `bench report` whenever wanted.
# micro: every micro-benchmark (BenchmarkDotNet, --job short --iterationCount 15 --inProcess: at least 5 iterations a side are needed for bench compare to judge at alpha 0.01, and short has 3) → results/baselines/micro/*-report-full.json. Compare
#        micro-benchmarks only on the machine that made the baseline: a baseline from another machine compares machines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
what=${1:-sim}
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ $what == sim || $what == all ]]; then
  "${bench[@]}" run scenarios/ci.json --out "$tmp/sim" --force
  if [[ -d results/baselines/sim-ci ]]; then
    "${bench[@]}" compare results/baselines/sim-ci "$tmp/sim" || echo "(the new baseline differs from the old one: exit $?)"
  fi
  rm -rf results/baselines/sim-ci && mkdir -p results/baselines/sim-ci
  cp "$tmp/sim/run.json" "$tmp/sim/records.jsonl" "$tmp/sim/summary.json" "$tmp/sim/report.md" results/baselines/sim-ci/
  echo "baseline written: results/baselines/sim-ci"
fi

if [[ $what == micro || $what == all ]]; then
  dotnet run -c Release --project src/Bench.Micro -- --filter '*' --job short --iterationCount 15 --inProcess --artifacts "$tmp/micro"
  if [[ -d results/baselines/micro ]]; then
    "${bench[@]}" compare results/baselines/micro "$tmp/micro" || echo "(the new baseline differs from the old one: exit $?)"
  fi
  rm -rf results/baselines/micro && mkdir -p results/baselines/micro
  find "$tmp/micro" -name '*-report-full.json' -exec cp {} results/baselines/micro/ \;
  echo "baseline written: results/baselines/micro"
fi
