#!/usr/bin/env python3
"""Probes any OpenAI-compatible Files + Batch endpoint from the outside and prints what it answered, so two
implementations (the check server, Bench's simulator, a real provider) can be compared line by line.

Usage: probe.py BASE_URL [--key-env BATCH_CHECK_KEY] [--model gpt-4.1] [--lines 6] [--timeout-s 120]
Each line: the probe, what came back (status, object shape, error code), and schema problems against
shared/data/openai-api-schemas.json. Nothing is asserted: this is for reading."""
import argparse, json, os, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_server import Api, DEFS, lines, schema_errors  # noqa: E402


def schema(value, name):
    if DEFS is None or not isinstance(value, dict):
        return ""
    errs = schema_errors(value, DEFS[name])
    return f"  SCHEMA {name}: {errs[:3]}" if errs else f"  ({name} ok)"


def err(body):
    e = body.get("error") if isinstance(body, dict) else None
    return f"error type={e.get('type')} code={e.get('code')} param={e.get('param')} msg={e.get('message')!r}" \
        if isinstance(e, dict) else f"keys={sorted(body)[:12] if isinstance(body, dict) else type(body).__name__}"


def main():
    a = argparse.ArgumentParser()
    a.add_argument("base_url")
    a.add_argument("--key-env", default="BATCH_CHECK_KEY")
    a.add_argument("--model", default="gpt-4.1")
    a.add_argument("--other-model", default="gpt-4.1-mini", help="a second served model, for the two-models file")
    a.add_argument("--lines", type=int, default=6)
    a.add_argument("--timeout-s", type=float, default=120)
    o = a.parse_args()
    u = urllib.parse.urlsplit(o.base_url)
    api = Api(u.port, key=os.environ.get(o.key_env, "sk-none"))
    api.base = o.base_url.rstrip("/")

    def poll(bid, until):
        end, b = time.monotonic() + o.timeout_s, None
        seen = []
        while time.monotonic() < end:
            st, b, _ = api.call("GET", f"/batches/{bid}")
            if st != 200:
                print(f"  poll {st} {err(b)}")
                time.sleep(1)
                continue
            if not seen or seen[-1] != b["status"]:
                seen.append(b["status"])
            if b["status"] in until:
                break
            time.sleep(0.25)
        print(f"  statuses seen: {' -> '.join(seen)}")
        return b

    st, body, _ = api.call("GET", "/models")
    print(f"GET /models: {st} {[m.get('id') for m in body.get('data', [])] if st == 200 else err(body)}")

    st, f = api.upload(lines(o.lines, model=o.model))
    print(f"POST /files: {st} {json.dumps(f)[:300]}{schema(f, 'OpenAIFile')}")
    st, g, _ = api.call("GET", f"/files/{f['id']}")
    print(f"GET /files/id: {st} same as upload: {g == f}")
    st, body, _ = api.call("GET", "/files/file-doesnotexist")
    print(f"GET /files/unknown: {st} {err(body)}")
    st, body = api.upload(b"x", purpose="not-a-purpose")
    print(f"POST /files bad purpose: {st} {err(body)}")

    for label, req in [("bad window", {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                       "completion_window": "1h"}),
                       ("bad endpoint", {"input_file_id": f["id"], "endpoint": "/v1/nope", "completion_window": "24h"}),
                       ("unknown file", {"input_file_id": "file-nope", "endpoint": "/v1/chat/completions",
                                         "completion_window": "24h"}),
                       ("no endpoint", {"input_file_id": f["id"], "completion_window": "24h"})]:
        st, body, _ = api.call("POST", "/batches", req)
        print(f"POST /batches {label}: {st} {err(body)}")

    st, b, _ = api.call("POST", "/batches", {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                             "completion_window": "24h", "metadata": {"bench_run": "probe"}})
    print(f"POST /batches: {st} status={b.get('status')} {schema(b, 'Batch')}")
    print(f"  created object: {json.dumps(b)[:600]}")
    b = poll(b["id"], {"completed", "failed", "expired", "cancelled"})
    print(f"  final: {json.dumps(b)[:900]}{schema(b, 'Batch')}")
    for which in ("output_file_id", "error_file_id"):
        fid = b.get(which)
        if not fid:
            print(f"  {which}: none")
            continue
        st, fo, _ = api.call("GET", f"/files/{fid}")
        st, data, hdr = api.call("GET", f"/files/{fid}/content", raw=True)
        rows = [json.loads(l) for l in data.decode().splitlines() if l.strip()]
        print(f"  {which}: file purpose={fo.get('purpose')} filename={fo.get('filename')} content-type="
              f"{hdr.get('Content-Type')} lines={len(rows)} order={[r.get('custom_id') for r in rows]}")
        for r in rows[:2]:
            print(f"    {json.dumps(r)[:500]}{schema(r, 'BatchRequestOutput')}")
            body = (r.get("response") or {}).get("body")
            if isinstance(body, dict) and body.get("object") == "chat.completion":
                print(f"    body{schema(body, 'CreateChatCompletionResponse')}")

    st, l1, _ = api.call("GET", "/batches?limit=1")
    print(f"GET /batches?limit=1: {st} first={l1.get('first_id')} last={l1.get('last_id')} has_more="
          f"{l1.get('has_more')} n={len(l1.get('data', []))}{schema(l1, 'ListBatchesResponse')}")
    if l1.get("last_id"):
        st, l2, _ = api.call("GET", f"/batches?limit=1&after={l1['last_id']}")
        print(f"GET /batches?after=: {st} n={len(l2.get('data', []))} first={l2.get('first_id')}")
    st, body, _ = api.call("GET", "/batches/batch_doesnotexist")
    print(f"GET /batches/unknown: {st} {err(body)}")
    st, body, _ = api.call("POST", f"/batches/{b['id']}/cancel")
    print(f"POST cancel on {b['status']}: {st} {err(body) if st != 200 else 'status=' + body.get('status')}")

    # A batch cancelled while it runs.
    st, f2 = api.upload(lines(max(o.lines, 200), model=o.model, prefix="c-"))
    st, b2, _ = api.call("POST", "/batches", {"input_file_id": f2["id"], "endpoint": "/v1/chat/completions",
                                              "completion_window": "24h"})
    st, c, _ = api.call("POST", f"/batches/{b2['id']}/cancel")
    print(f"POST cancel on {b2.get('status')}: {st} status={c.get('status')} cancelling_at={c.get('cancelling_at')}")
    b2 = poll(b2["id"], {"completed", "failed", "expired", "cancelled"})
    print(f"  final: status={b2.get('status')} counts={b2.get('request_counts')} output={b2.get('output_file_id')} "
          f"error={b2.get('error_file_id')}")
    if b2.get("error_file_id"):
        st, data, _ = api.call("GET", f"/files/{b2['error_file_id']}/content", raw=True)
        rows = [json.loads(l) for l in data.decode().splitlines() if l.strip()]
        print(f"    error lines {len(rows)}, first: {json.dumps(rows[0])[:300] if rows else None}")

    # A file with two models (OpenAI: one model per file).
    st, f3 = api.upload(lines(2, model=lambda i: o.model if i == 0 else o.other_model, prefix="m-"))
    st, b3, _ = api.call("POST", "/batches", {"input_file_id": f3["id"], "endpoint": "/v1/chat/completions",
                                              "completion_window": "24h"})
    print(f"POST /batches two models: {st} status={b3.get('status') if st == 200 else err(b3)}")
    if st == 200:
        b3 = poll(b3["id"], {"completed", "failed", "expired", "cancelled"})
        print(f"  final: status={b3.get('status')} errors={json.dumps(b3.get('errors'))[:300]}")
    st, d, _ = api.call("DELETE", f"/files/{f['id']}")
    print(f"DELETE /files/id: {st} {d}")


if __name__ == "__main__":
    main()
