#!/usr/bin/env python3
"""Compares `bench inspect --json` with the independent reader (reader.py), field by field, for every recorded body
under the folders given (default: ../shared/fixtures/recorded-streams beside the repository).

  python3 eng/protocol-check/check.py [DIR_OR_FILE ...]     (BENCH="dotnet src/Bench.Cli/bin/Release/net10.0/bench.dll")

Fields compared: protocol, content, reasoning, tool calls (name and argument text, in order), finish reason, usage
(prompt, completion, reasoning, cached, cache-write tokens; a field the reader finds absent must be absent or 0 in
Bench's), and whether an error was reported (with its type). Exit 0 when every file agrees, 1 otherwise.
"""
import json
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reader  # noqa: E402

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
bench = shlex.split(os.environ.get("BENCH", f"dotnet {root}/src/Bench.Cli/bin/Release/net10.0/bench.dll"))
def shared_streams():
    """shared/fixtures/recorded-streams in the nearest ancestor of the repository that has it (CI puts shared/ beside
    the clone; a worktree may sit deeper)."""
    folder = root
    while True:
        candidate = os.path.join(folder, "shared", "fixtures", "recorded-streams")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            sys.exit("no shared/fixtures/recorded-streams above the repository: give the folders to check")
        folder = parent


targets = sys.argv[1:] or [shared_streams()]
files = []
for t in targets:
    if os.path.isdir(t):
        for folder, _, names in os.walk(t):
            files += [os.path.join(folder, n) for n in sorted(names) if n.endswith((".sse", ".json", ".txt"))]
    else:
        files.append(t)

USAGE = ("prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "cache_write_tokens")
failures = 0
for path in sorted(files):
    expected = reader.read(path)
    run = subprocess.run(bench + ["inspect", path, "--json", "--tokenizer", "none"], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(f"FAIL {path}: bench inspect exited {run.returncode}: {run.stderr.strip()[:300]}")
        failures += 1
        continue
    got = json.loads(run.stdout)
    diffs = []
    if got.get("protocol") != expected["protocol"]:
        diffs.append(f"protocol {got.get('protocol')!r} != {expected['protocol']!r}")
    for field in ("content", "reasoning", "finish_reason"):
        if (got.get(field) or None) != (expected[field] or None):
            a, b = str(got.get(field))[:60], str(expected[field])[:60]
            diffs.append(f"{field}: bench {a!r} reader {b!r}")
    bench_calls = [(c.get("name"), c.get("arguments") or "") for c in got.get("tool_calls") or []]
    reader_calls = [(c["name"], c["arguments"]) for c in expected["tool_calls"]]
    if bench_calls != reader_calls:
        diffs.append(f"tool_calls: bench {bench_calls} reader {reader_calls}")
    for field in USAGE:
        a, b = (got.get("usage") or {}).get(field), expected["usage"][field]
        if a != b and not (b is None and a in (None, 0)):
            diffs.append(f"usage.{field}: bench {a} reader {b}")
    got_error = (got.get("error") or {}).get("type") if got.get("error") else None
    want_error = expected["error"]["type"] if expected["error"] else None
    if bool(got.get("error")) != bool(expected["error"]) or (want_error and got_error != want_error):
        diffs.append(f"error: bench {got.get('error')} reader {expected['error']}")
    name = os.path.relpath(path, os.path.dirname(targets[0]) if os.path.isdir(targets[0]) else ".")
    if diffs:
        failures += 1
        print(f"FAIL {name}")
        for d in diffs:
            print(f"     {d}")
    else:
        print(f"ok   {name} ({expected['protocol']}: {len(expected['content'])} content chars, "
              f"{len(expected['reasoning'])} reasoning, {len(expected['tool_calls'])} tool calls, "
              f"finish {expected['finish_reason']}, usage {[expected['usage'][f] for f in USAGE]})")
print(f"{len(files) - failures} of {len(files)} bodies agree")
sys.exit(1 if failures else 0)
