#!/usr/bin/env python3
"""The shard check (issue 16): a plan run whole and the same plan run as shards and merged (`bench run --shards N`),
on the same seed, compared from their records.jsonl, summary.json and run.json by this independent script (stdlib).

Checks, per cell: the same request ids (none twice, none missing), each with the same cell, phase and billed prompt
tokens (same id, same prompt); within each shard and cell the intended send times are the unsharded ones shifted by
one constant (the shard's own step start), and in the first cell the shards' shifts agree within --align-ms (the shared
start); the same intended (offered) rate; merged TTFT/E2E p50 and p90 within --pct of the whole run's (same requests,
same simulated latencies: only measurement noise differs); run.json's shard block names every shard merged, none
missing. Exit 0 when all hold, 1 otherwise (each failure printed as MISMATCH), 2 when a folder cannot be read.

    python3 check.py WHOLE_DIR MERGED_DIR [--align-ms 25] [--pct 20]
"""
import argparse, collections, json, os, sys


def load(folder):
    try:
        with open(os.path.join(folder, "records.jsonl")) as f:
            records = [json.loads(line) for line in f if line.strip()]
        with open(os.path.join(folder, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(folder, "run.json")) as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        print(f"cannot read {folder}: {e}", file=sys.stderr)
        sys.exit(2)
    return records, summary, run


def cell(r):
    return (r.get("target"), r["model"], r["mode"], r.get("policy"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("whole")
    p.add_argument("merged")
    p.add_argument("--align-ms", type=float, default=25.0)
    p.add_argument("--pct", type=float, default=20.0)
    a = p.parse_args()
    whole, whole_summary, _ = load(a.whole)
    merged, merged_summary, merged_run = load(a.merged)
    problems, checks = [], 0

    def check(ok, what):
        nonlocal checks
        checks += 1
        if not ok:
            problems.append(what)

    by_id = {}
    for r in whole:
        by_id[r["id"]] = r
    check(len(by_id) == len(whole), f"whole run: {len(whole) - len(by_id)} duplicate ids")
    ids = collections.Counter(r["id"] for r in merged)
    check(all(n == 1 for n in ids.values()), f"merged: ids twice: {sorted(i for i, n in ids.items() if n > 1)[:10]}")
    check(set(ids) == set(by_id), f"merged ids differ from the whole run's: missing {sorted(set(by_id) - set(ids))[:10]}, extra {sorted(set(ids) - set(by_id))[:10]}")
    counts_whole = collections.Counter(cell(r) for r in whole)
    counts_merged = collections.Counter(cell(r) for r in merged)
    check(counts_whole == counts_merged, f"requests per cell: whole {dict(counts_whole)}, merged {dict(counts_merged)}")

    shifts = collections.defaultdict(list)  # (shard, cell) -> intended_merged - intended_whole
    for r in merged:
        w = by_id.get(r["id"])
        if w is None:
            continue
        check((cell(w), w["phase"]) == (cell(r), r["phase"]), f"id {r['id']}: whole {cell(w)} {w['phase']}, merged {cell(r)} {r['phase']}")
        if w.get("prompt_tokens") is not None and r.get("prompt_tokens") is not None:
            check(w["prompt_tokens"] == r["prompt_tokens"], f"id {r['id']}: prompt tokens {w['prompt_tokens']} whole, {r['prompt_tokens']} merged")
        if w.get("intended_ms") is not None and r.get("intended_ms") is not None:
            shifts[(r.get("shard"), cell(r))].append(r["intended_ms"] - w["intended_ms"])
    for (shard, c), values in sorted(shifts.items(), key=str):
        spread = max(values) - min(values)
        check(spread <= 1.0, f"shard {shard} {c}: intended times are not the unsharded ones shifted by one constant (spread {spread:.3f} ms)")
    cells_in_order = []
    for r in sorted(whole, key=lambda r: r["id"]):
        if cell(r) not in cells_in_order:
            cells_in_order.append(cell(r))
    if cells_in_order:
        first = [statistics_median(v) for (s, c), v in shifts.items() if c == cells_in_order[0]]
        if len(first) > 1:
            check(max(first) - min(first) <= a.align_ms, f"first cell: the shards' schedules start {max(first) - min(first):.1f} ms apart (at most {a.align_ms})")
            print(f"first cell: the shards' schedules started within {max(first) - min(first):.2f} ms of each other")

    def cells_of(summary):
        return {(c.get("target"), c["model"], c["mode"], c.get("policy")): c for c in summary["cells"]}

    sw, sm = cells_of(whole_summary), cells_of(merged_summary)
    check(set(sw) == set(sm), f"summary cells differ: {set(sw) ^ set(sm)}")
    for key in sorted(set(sw) & set(sm), key=str):
        w, m = sw[key], sm[key]
        for field in ("requests", "successes"):
            check(w[field] == m[field], f"{key} {field}: whole {w[field]}, merged {m[field]}")
        if w.get("intended_rps") is not None:
            check(abs(w["intended_rps"] - m["intended_rps"]) <= 0.01 * w["intended_rps"], f"{key} intended_rps: whole {w['intended_rps']}, merged {m['intended_rps']}")
        line = [f"{key[1]} {key[2]}: {m['requests']} requests, intended {m.get('intended_rps')} req/s (whole {w.get('intended_rps')})"]
        for metric in ("ttft_ms", "e2e_ms"):
            lw, lm = w["latency"].get(metric), m["latency"].get(metric)
            if not isinstance(lw, dict) or not isinstance(lm, dict):
                continue
            for q in ("p50", "p90"):
                if lw.get(q) and lm.get(q) is not None:
                    check(abs(lm[q] - lw[q]) <= a.pct / 100 * lw[q], f"{key} {metric} {q}: whole {lw[q]}, merged {lm[q]} (more than {a.pct} % apart)")
                    line.append(f"{metric} {q} {lm[q]} (whole {lw[q]})")
        print("; ".join(line))

    shard = merged_run.get("shard") or {}
    n = shard.get("count")
    check(n is not None and shard.get("merged") == list(range(1, (n or 0) + 1)), f"run.json shard.merged {shard.get('merged')} for count {n}")
    check(not shard.get("missing"), f"run.json shard.missing {shard.get('missing')}")
    for problem in problems:
        print("MISMATCH:", problem)
    print(f"shard check: {checks - len(problems)} of {checks} checks agree" + ("" if not problems else " — FAILED"))
    sys.exit(1 if problems else 0)


def statistics_median(values):
    values = sorted(values)
    return values[len(values) // 2]


if __name__ == "__main__":
    main()
