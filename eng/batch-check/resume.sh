#!/usr/bin/env bash
# The resume case: Bench's run is interrupted (SIGINT, as Ctrl+C) once its batch id is in run.json, then resumed; the
# server's one log spans both processes, so analyse.py sees whether any line was submitted twice.
#   eng/batch-check/resume.sh OUT_DIR [server.py flags]
# BENCH: how to start Bench (default: dotnet src/Bench.Cli/bin/Release/net10.0/bench.dll; build it first; not
# `dotnet run`, whose SIGINT would go to the SDK, not to Bench). RESUME_ARGS: the resume verb's arguments after
# Bench (default: run --resume OUT_DIR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
out=${1:?usage: resume.sh OUT_DIR [server flags]}
shift
bench=${BENCH:-dotnet src/Bench.Cli/bin/Release/net10.0/bench.dll}
export BATCH_CHECK_KEY=${BATCH_CHECK_KEY:-sk-batch-check-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
log="$out.server-log.jsonl"
rm -f "$log"
portfile=$(mktemp)
python3 "$here/server.py" --port 0 --log "$log" --queue-s 6 "$@" > "$portfile" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$portfile"' EXIT
for _ in $(seq 100); do grep -q '^PORT ' "$portfile" && break; sleep 0.1; done
port=$(awk '/^PORT /{print $2}' "$portfile")
echo "check server pid $server on port $port, log $log"
set -m  # job control: a background job's SIGINT is otherwise ignored (bash), and Bench would never see the Ctrl+C
$bench run "$here/scenario.json" --base-url "http://127.0.0.1:$port/v1" --api-key-env BATCH_CHECK_KEY --out "$out" \
  --force ${BENCH_ARGS:-} > "$out.first.txt" 2>&1 &
first=$!
for _ in $(seq 600); do
  [ -f "$out/run.json" ] && grep -q '"batch_id"' "$out/run.json" && break
  kill -0 "$first" 2>/dev/null || break
  sleep 0.1
done
echo "run.json batches before the interrupt: $(python3 -c "import json,sys;print(json.load(open(sys.argv[1])).get('batches'))" "$out/run.json" 2>&1)"
kill -INT "$first" 2>/dev/null || echo "first run had already ended"
set +e; wait "$first"; rc=$?; set -e; set +m
echo "first run exit $rc; its last lines:"; tail -5 "$out.first.txt"
echo "run.json batches after the interrupt: $(python3 -c "import json,sys;print(json.load(open(sys.argv[1])).get('batches'))" "$out/run.json" 2>&1)"
set +e; $bench ${RESUME_ARGS:-run --resume "$out"} 2>&1 | tee "$out.resume.txt" | tail -15; set -e
kill "$server"
python3 "$here/analyse.py" "$log" "$out"
