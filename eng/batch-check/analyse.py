#!/usr/bin/env python3
"""Checks a Bench run against the check server's log: one verdict line per check, exit 1 when any check fails.

Usage: analyse.py SERVER_LOG.jsonl RESULTS_DIR [--poll-interval S] [--key-env BATCH_CHECK_KEY] [--tolerance-ms 5]

SERVER_LOG is server.py's --log (it may span several Bench processes, e.g. a run and its resume); RESULTS_DIR is Bench's
results folder (records.jsonl, batches.jsonl, run.json, summary.json). The poll interval is --poll-interval, else the
scenario's batch.poll_interval_s in run.json, else 5 s (Bench's default against a real endpoint).

Checks: (1) one upload and one batch creation per batch-api cell, never resubmitted (no custom_id in two uploads that
became batches), (2) every line the server answered joined by custom_id to exactly one record (and no batch record
without a server line) though the output order differed from the input order, (3) each line's outcome and HTTP status
as the server answered it, (4) polls of a batch never closer than the interval and none after the poll that saw its
end, (5) cost at batch prices (gpt-4.1 1.00/4.00, gpt-4.1-mini 0.20/0.80 USD per 1M) from the tokens the server billed, equal to summary.json's
cost of the cell within a micro-dollar (rounding to the cent would pass a doubled price on a small run), (6) the API key in no results file. Figures: polls per batch, gaps, turnaround."""
import argparse, collections, decimal, json, os, statistics, sys

D = decimal.Decimal
# USD per 1M input / output tokens at OpenAI's Batch API prices (half the standard 2.00/8.00 and 0.40/1.60), the
# reference the cost is recomputed with; --batch-price MODEL=IN/OUT adds or replaces one.
BATCH_PRICES = {"gpt-4.1": (D("1.00"), D("4.00")), "gpt-4.1-mini": (D("0.20"), D("0.80"))}
EXPECTED_OUTCOME = {200: "success", 429: "rate_limited", "batch_expired": "expired", "batch_cancelled": "timeout"}
results = []


def verdict(name, ok, detail):
    ok = bool(ok)
    results.append(ok)
    print(f"[{'PASS' if ok else 'FAIL'}] {name}: {detail}")


def expected_outcome(line):
    if "error_code" in line:
        return EXPECTED_OUTCOME.get(line["error_code"], "?")
    st = line["status_code"]
    return EXPECTED_OUTCOME.get(st) or ("server_error" if st >= 500 else "client_error" if st >= 400 else "?")


def jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("log")
    a.add_argument("results")
    a.add_argument("--poll-interval", type=float)
    a.add_argument("--key-env", default="BATCH_CHECK_KEY")
    a.add_argument("--batch-price", action="append", default=[], metavar="MODEL=IN/OUT",
                   help="a model's batch prices, USD per 1M tokens (repeatable)")
    a.add_argument("--tolerance-ms", type=float, default=5.0,
                   help="a gap this much under the interval still passes (the server stamps arrivals, not sends)")
    o = a.parse_args()

    for spec in o.batch_price:
        model, _, prices = spec.partition("=")
        pin, _, pout = prices.partition("/")
        BATCH_PRICES[model] = (D(pin), D(pout))
    log = jsonl(o.log)
    reqs = sorted((e for e in log if e["kind"] == "request"), key=lambda e: e["mono"])
    uploads = {e["file_id"]: e for e in log if e["kind"] == "upload"}
    created = {e["batch_id"]: e for e in log if e["kind"] == "status" and e["status"] == "validating"}
    statuses = collections.defaultdict(list)
    for e in log:
        if e["kind"] == "status":
            statuses[e["batch_id"]].append(e)
    served = collections.defaultdict(list)  # batch id -> line entries in output order
    for e in log:
        if e["kind"] == "line":
            served[e["batch_id"]].append(e)

    with open(os.path.join(o.results, "run.json")) as f:
        run = json.load(f)
    records = [r for r in jsonl(os.path.join(o.results, "records.jsonl")) if r.get("mode") == "batch-api"]
    batch_records = jsonl(os.path.join(o.results, "batches.jsonl"))
    summary_path = os.path.join(o.results, "summary.json")
    summary = {"cells": []}
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            summary = json.load(f)
    cells = sorted({r["model"] for r in records} | {b.get("model") for b in (run.get("batches") or [])} - {None})
    print(f"results {o.results}: batch-api cells {cells}, batch records {len(records)}, "
          f"batches.jsonl {len(batch_records)}, run.json batches {len(run.get('batches') or [])}")

    # (1) one upload and one creation per cell, never resubmitted ----------------------------------------------------
    posts_files = [r for r in reqs if r["method"] == "POST" and r["path"] == "/v1/files"]
    posts_batches = [r for r in reqs if r["method"] == "POST" and r["path"] == "/v1/batches"]
    seen, resubmitted = {}, []
    for bid, c in created.items():
        for cid in uploads.get(c["input_file_id"], {}).get("custom_ids", []):
            if cid in seen and seen[cid] != bid:
                resubmitted.append(cid)
            seen[cid] = bid
    inputs = [c["input_file_id"] for c in created.values()]
    verdict("one upload + one batch per cell",
            len(posts_files) == len(cells) and len(posts_batches) == len(cells) and len(created) == len(cells)
            and len(set(inputs)) == len(inputs) and not resubmitted,
            f"{len(cells)} cell(s); POST /v1/files {len(posts_files)} (status {[r['status'] for r in posts_files]}), "
            f"POST /v1/batches {len(posts_batches)} (status {[r['status'] for r in posts_batches]}), batches created "
            f"{len(created)}, custom_ids in two batches {len(resubmitted)}")
    run_ids = {b.get("batch_id") for b in run.get("batches") or []}
    verdict("run.json names the batches", bool(created) and run_ids == set(created),
            f"run.json {sorted(i for i in run_ids if i)} vs server {sorted(created)}")

    per_batch = collections.Counter(b.get("batch_id") for b in batch_records)
    verdict("batches.jsonl: one record per batch job", bool(created) and all(per_batch[b] == 1 for b in created)
            and set(per_batch) <= set(created) | {None},
            f"records per batch id {dict(per_batch)} (the report counts its batch jobs from these lines)")

    # (2) join by custom_id --------------------------------------------------------------------------------------------
    by_key = collections.Counter((r.get("batch_id"), r.get("custom_id")) for r in records)
    lines = [(bid, e) for bid, es in served.items() for e in es]
    unjoined = [e["custom_id"] for bid, e in lines if by_key[(bid, e["custom_id"])] != 1]
    failed_batches = {b for b, ss in statuses.items() if any(x["status"] == "failed" for x in ss)}
    extra = [k for k in by_key if k not in {(bid, e["custom_id"]) for bid, e in lines} and k[0] not in failed_batches]
    reordered = []
    for bid, es in served.items():
        order_in = [c for c in uploads.get(created.get(bid, {}).get("input_file_id"), {}).get("custom_ids", [])
                    if c in {e["custom_id"] for e in es}]
        reordered.append([e["custom_id"] for e in es] != order_in)
    verdict("every line joined by custom_id to exactly one record",
            (lines or failed_batches) and not unjoined and not extra
            and len(lines) == sum(1 for r in records if r.get("batch_id") not in failed_batches),
            f"server lines {len(lines)}, batch records {len(records)}, lines without exactly one record "
            f"{len(unjoined)} {unjoined[:5]}, records without a server line {len(extra)} {extra[:5]}; output order "
            f"differed from input order in {sum(reordered)} of {len(reordered)} batch(es)")

    # (3) outcomes -----------------------------------------------------------------------------------------------------
    rec = {(r.get("batch_id"), r.get("custom_id")): r for r in records}
    wrong = []
    tally = collections.Counter()
    for bid, e in lines:
        r = rec.get((bid, e["custom_id"]))
        want = expected_outcome(e)
        tally[want] += 1
        status = e.get("status_code")
        if r is None or r["outcome"] != want or (status is not None and r.get("http_status") != status):
            wrong.append((e["custom_id"], e.get("status_code") or e.get("error_code"), want,
                          r and r["outcome"], r and r.get("http_status")))
    failed_server = sum(1 for _, e in lines if expected_outcome(e) != "success")
    cells_json = [c for c in summary.get("cells", []) if c.get("mode") == "batch-api"]
    failed_bench = sum(c["requests"] - c["successes"] for c in cells_json)
    failed_server += sum(1 for r in records if r.get("batch_id") in failed_batches)
    verdict("failed lines counted with the right outcome",
            (lines or failed_batches) and not wrong and failed_bench == failed_server,
            f"server: {dict(tally)}; summary.json failures {failed_bench} vs server {failed_server}; mismatches "
            f"{len(wrong)} {wrong[:5]}")

    # (3b) lines of a batch that failed validation: never run, so in neither file; each must still be one record, a
    # failure that names the batch's error (not "missing from the output and error files", which blames the provider).
    for bid, c in created.items():
        failed = next((s for s in statuses[bid] if s["status"] == "failed"), None)
        if failed is None:
            continue
        ids = uploads.get(c["input_file_id"], {}).get("custom_ids", [])
        codes = failed.get("error_codes") or []
        recs = [rec.get((bid, cid)) for cid in ids]
        named = [r for r in recs if r and r["outcome"] != "success"
                 and any(code in ((r.get("error") or {}).get("message") or "") + json.dumps(r.get("error") or {})
                         for code in codes)]
        seen_outcomes = collections.Counter((r["outcome"], (r.get("error") or {}).get("message")) for r in recs if r)
        verdict(f"lines of failed batch {bid} recorded as failures naming {codes}",
                all(recs) and len(named) == len(ids),
                f"{len(ids)} lines, records {sum(1 for r in recs if r)}, naming the error {len(named)}; outcomes "
                f"{dict(seen_outcomes)}")

    # (4) polling ------------------------------------------------------------------------------------------------------
    interval, source = o.poll_interval, "--poll-interval"
    if interval is None:
        interval, source = ((run.get("scenario_json") or {}).get("batch") or {}).get("poll_interval_s"), \
            "run.json scenario_json.batch"
    scenario_file = run.get("scenario_file") or ""
    if scenario_file and not os.path.exists(scenario_file):  # relative to where Bench ran: the repository, usually
        scenario_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", scenario_file)
    if interval is None and scenario_file and os.path.exists(scenario_file):
        with open(scenario_file) as f:  # JSON with // comments (Bench's scenario files)
            text = "\n".join(l for l in f.read().splitlines() if not l.lstrip().startswith("//"))
        interval, source = (json.loads(text).get("batch") or {}).get("poll_interval_s"), run["scenario_file"]
    if interval is None:
        interval, source = 5.0, "Bench's default against a real endpoint"
    print(f"poll interval {interval:g} s (from {source})")
    all_gaps, bad, after_end, restarts, at_cancel = [], [], 0, 0, []
    for bid in sorted(created):
        polls = [r for r in reqs if r["method"] == "GET" and r["path"] == f"/v1/batches/{bid}"]
        end_t = next((s["t"] for s in statuses[bid] if s["status"] in ("completed", "failed", "expired",
                                                                      "cancelled")), None)
        gaps = []
        cancels = [r for r in reqs if r["method"] == "POST" and r["path"] == f"/v1/batches/{bid}/cancel"]
        for p, q in zip(polls, polls[1:]):
            # A resumed process does not know when the killed one last polled: a gap that spans a new process's
            # start (a GET /v1/models preflight or a GET /v1/batches list between the two polls) is reported apart.
            between = [r for r in reqs if p["mono"] < r["mono"] < q["mono"]
                       and (r["path"] == "/v1/models" or (r["path"] == "/v1/batches" and r["method"] == "GET"))]
            if between:
                restarts += 1
                continue
            # Bench's timeout: a last look at the deadline, the cancel, a look after it. Reported, not judged.
            if any(abs(q["mono"] - c["mono"]) < interval for c in cancels):
                at_cancel.append(round(q["mono"] - p["mono"], 3))
                continue
            gap = q["mono"] - p["mono"]
            gaps.append(gap)
            if gap * 1000 < interval * 1000 - o.tolerance_ms:
                bad.append((bid, round(gap, 3)))
        # The poll that saw the end is the first answered (200) after it; any poll after that one is one too many.
        late = [p for p in polls if end_t is not None and p["t"] > end_t]
        saw = next((i for i, p in enumerate(late) if p["status"] == 200), None)
        after_end += 0 if saw is None else len(late) - saw - 1
        br = next((b for b in reversed(batch_records) if b.get("batch_id") == bid), {})  # the last: after a resume
        turn = (end_t - statuses[bid][0]["t"]) if end_t else None
        end_at = next((br[k] for k in ("completed_at", "failed_at", "expired_at", "cancelled_at") if br.get(k)), None)
        g = sorted(gaps)
        print(f"  batch {bid}: polls {len(polls)} (Bench counted {br.get('polls')}, poll errors "
              f"{br.get('poll_errors')}), gaps s min {g[0] if g else float('nan'):.3f} median "
              f"{statistics.median(g) if g else float('nan'):.3f} max {g[-1] if g else float('nan'):.3f}; "
              f"server turnaround {turn if turn is None else round(turn, 2)} s real; Bench turnaround_s from "
              f"created_at..end {end_at - br['created_at'] if end_at and br.get('created_at') else None}"
              f" (whole seconds), status {br.get('status')}, ending {br.get('ending')}, request_counts "
              f"{br.get('request_counts')} vs server {statuses[bid][-1]['status']}")
        all_gaps += gaps
    g = sorted(all_gaps)
    verdict(f"polling at or above the {interval:g} s interval, no burst",
            bool(created) and len(g) + restarts >= len(created) and not bad and after_end == 0,
            f"{len(g)} gaps, min {g[0] if g else float('nan'):.3f} s, median "
            f"{statistics.median(g) if g else float('nan'):.3f} s; under the interval {len(bad)} {bad[:5]}; polls "
            f"after the one that saw the end {after_end}; gaps spanning a process restart (not judged) {restarts}; gaps "
            f"within an interval of a cancel (not judged) {at_cancel}")
    retry_after = []
    for bid in created:
        polls = [r for r in reqs if r["method"] == "GET" and r["path"] == f"/v1/batches/{bid}"]
        retry_after += [(p, q) for p, q in zip(polls, polls[1:]) if p["status"] == 429]
    if retry_after:
        short = [(p.get("retry_after"), round(q["mono"] - p["mono"], 3)) for p, q in retry_after
                 if q["mono"] - p["mono"] < float(p.get("retry_after") or 0) - o.tolerance_ms / 1000]
        gaps429 = [round(q["mono"] - p["mono"], 3) for p, q in retry_after]
        verdict("Retry-After on a 429 poll honoured", not short,
                f"{len(retry_after)} 429 polls with Retry-After {sorted({p.get('retry_after') for p, _ in retry_after})}"
                f" s; gaps to the next poll {gaps429}; sooner than asked {short}")

    # (5) cost at batch prices -----------------------------------------------------------------------------------------
    for model in cells:
        ok_lines = [e for bid, es in served.items() for e in es
                    if created.get(bid) and e.get("status_code") == 200 and e.get("model", model) == model]
        pin, pout = sum(e["prompt_tokens"] for e in ok_lines), sum(e["completion_tokens"] for e in ok_lines)
        cell = next((c for c in cells_json if c["model"] == model), None)
        prices = BATCH_PRICES.get(model)
        if prices is None:
            cost = (cell or {}).get("cost") or {}
            print(f"[INFO] {model}: no reference batch price here (--batch-price adds one): cost not checked; "
                  f"summary.json says {cost.get('cost_usd')} ({cost.get('price_tier')}, {cost.get('price_source')})")
            continue
        want = (D(pin) * prices[0] + D(pout) * prices[1]) / D(1_000_000)
        got = None if cell is None else (cell.get("cost") or {}).get("cost_usd")
        billed = (cell or {}).get("billed_tokens") or {}
        verdict(f"{model}: cost at batch prices to the cent",
                got is not None and abs(D(str(got)) - want) <= D("0.000001")
                and billed.get("prompt_tokens") == pin and billed.get("completion_tokens") == pout,
                f"server billed {pin} in / {pout} out over {len(ok_lines)} lines -> {want} USD at "
                f"{prices[0]}/{prices[1]} per 1M; summary.json cost_usd {got} (diff "
                f"{None if got is None else D(str(got)) - want}), billed_tokens {billed}")

    # (6) the key in no results file -----------------------------------------------------------------------------------
    key = os.environ.get(o.key_env)
    if not key or len(key) < 12:
        verdict("key in no results file", False, f"{o.key_env} is not set or shorter than 12 characters: a search for "
                "it would prove nothing")
    else:
        hits, n = [], 0
        for root, _, files in os.walk(o.results):
            for f in files:
                n += 1
                with open(os.path.join(root, f), "rb") as fh:
                    if key.encode() in fh.read():
                        hits.append(os.path.join(root, f))
        verdict("key in no results file", not hits, f"{n} files read, key found in {hits}")
    print(f"{sum(results)} of {len(results)} checks passed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
