#!/usr/bin/env bash
# The Batch API check in one command: starts server.py on a free port, runs Bench's batch-api cell against it, stops
# the server, and prints analyse.py's verdicts. Exit status: analyse.py's (0 = every check passed).
#   eng/batch-check/run.sh OUT_DIR [server.py flags, e.g. --fail-rate 0.1 --queue-s 3]
# BENCH overrides how Bench is started (default: dotnet run -c Release --project src/Bench.Cli --); BENCH_ARGS adds
# arguments to `bench run` (e.g. "--batch-poll-interval 2"); SCENARIO replaces scenario.json. The server log is
# OUT_DIR.server-log.jsonl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
out=${1:?usage: run.sh OUT_DIR [server flags]}
shift
export BATCH_CHECK_KEY=${BATCH_CHECK_KEY:-sk-batch-check-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
log="$out.server-log.jsonl"
rm -f "$log"
portfile=$(mktemp)
python3 "$here/server.py" --port 0 --log "$log" "$@" > "$portfile" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$portfile"' EXIT
for _ in $(seq 100); do grep -q '^PORT ' "$portfile" && break; sleep 0.1; done
port=$(awk '/^PORT /{print $2}' "$portfile")
echo "check server pid $server on port $port, log $log"
${BENCH:-dotnet run -c Release --project src/Bench.Cli --} run "${SCENARIO:-$here/scenario.json}" \
  --base-url "http://127.0.0.1:$port/v1" --api-key-env BATCH_CHECK_KEY --out "$out" --force ${BENCH_ARGS:-} || echo "bench exited $?"
kill "$server"
python3 "$here/analyse.py" "$log" "$out"
