#!/usr/bin/env bash
# Every fault class through every protocol: runs scenarios/faults.json against the embedded simulator speaking each of
# the four protocols (ITERATIONS requests per mode, default 300) and prints each run's fault check — how many injected
# faults Bench recorded as the outcome the fault must produce (README, "Faults and resilience"). A protocol whose
# writer (simulator) or reader (client) frames a fault differently shows up as "recorded otherwise".
#   eng/protocol-check/faults.sh [OUT_DIR]      (default results/protocol-faults)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/results/protocol-faults}" && cd "${1:-$root/results/protocol-faults}" && pwd)
iterations=${ITERATIONS:-300}
cd "$root"
dotnet build -c Release src/Bench.Cli -nologo -v quiet
bench=(dotnet "$root/src/Bench.Cli/bin/Release/net10.0/bench.dll")
for protocol in openai-chat openai-responses anthropic-messages gemini; do
  python3 - "$root" "$protocol" "$iterations" "$out/faults-$protocol.json" <<'PY'
import sys
root, protocol, iterations, path = sys.argv[1:]
s = open(f"{root}/scenarios/faults.json").read()
s = s.replace('"target": { "simulator": true, "profiles": "profiles" }',
              f'"target": {{ "simulator": true, "profiles": "{root}/scenarios/profiles", "protocol": "{protocol}" }}')
s = s.replace('"iterations": 600', f'"iterations": {iterations}').replace('"name": "faults"', f'"name": "faults-{protocol}"')
s = s.replace('"$schema": "./scenario.schema.json",', '')
open(path, "w").write(s)
PY
  "${bench[@]}" run "$out/faults-$protocol.json" --out "$out/$protocol" --force > "$out/$protocol.log" 2>&1 || true
  printf '%-20s ' "$protocol"
  grep -o '[0-9]* of [0-9]* were recorded as the outcome the fault must produce[^.]*' "$out/$protocol/report.md" || echo "no fault check (see $out/$protocol.log)"
done
