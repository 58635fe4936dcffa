#!/usr/bin/env python3
"""Unit tests of the check server (stdlib unittest): python3 -m unittest eng/batch-check/test_server.py -v

Each test starts its own server on 127.0.0.1 port 0 with short real-second timings and waits for conditions (a status,
a count), never for a fixed time. Objects are validated against shared/data/openai-api-schemas.json when it exists."""
import json, os, sys, tempfile, threading, time, unittest, urllib.error, urllib.request, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402

KEY = "sk-test-" + uuid.uuid4().hex
SCHEMAS = os.environ.get("OPENAI_SCHEMAS", "/work/shared/data/openai-api-schemas.json")
DEFS = json.load(open(SCHEMAS))["$defs"] if os.path.exists(SCHEMAS) else None


def schema_errors(value, schema, path="$"):
    """A small JSON-Schema check (type, enum, required, properties, items, $ref, anyOf): enough for OpenAI's objects."""
    if "$ref" in schema:
        return schema_errors(value, DEFS[schema["$ref"].split("/")[-1]], path)
    if "anyOf" in schema:
        if all(schema_errors(value, s, path) for s in schema["anyOf"]):
            return [f"{path}: matches no anyOf branch: {value!r}"]
        return []
    errs = []
    types = schema.get("type")
    if types:
        types = types if isinstance(types, list) else [types]
        ok = {"object": isinstance(value, dict), "array": isinstance(value, list), "string": isinstance(value, str),
              "integer": isinstance(value, int) and not isinstance(value, bool),
              "number": isinstance(value, (int, float)) and not isinstance(value, bool),
              "boolean": isinstance(value, bool), "null": value is None}
        if not any(ok.get(t, False) for t in types):
            return [f"{path}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errs.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                errs.append(f"{path}: missing required {r}")
        for k, sub in schema.get("properties", {}).items():
            # OpenAI's examples serve optional fields as null (e.g. "failed_at": null): null is accepted for them.
            if k in value and not (value[k] is None and k not in schema.get("required", [])):
                errs += schema_errors(value[k], sub, f"{path}.{k}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errs += schema_errors(v, schema["items"], f"{path}[{i}]")
    return errs


class Api:
    def __init__(self, port, key=KEY):
        self.base, self.key = f"http://127.0.0.1:{port}/v1", key

    def call(self, method, path, body=None, headers=None, raw=False):
        data, h = None, {"Authorization": f"Bearer {self.key}"}
        if body is not None:
            data, h["Content-Type"] = json.dumps(body).encode(), "application/json"
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                content = r.read()
                return r.status, (content if raw else json.loads(content)), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read()), dict(e.headers)

    def upload(self, content, purpose="batch", filename="input.jsonl"):
        boundary = uuid.uuid4().hex
        parts = []
        if purpose is not None:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f'Content-Type: application/jsonl\r\n\r\n'.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + "/files", data=body, method="POST", headers={
            "Authorization": f"Bearer {self.key}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())


def lines(n, model="gpt-4.1", prefix="bench-", url="/v1/chat/completions"):
    return "".join(json.dumps({"custom_id": f"{prefix}{i}", "method": "POST", "url": url, "body": {
        "model": model if isinstance(model, str) else model(i), "max_tokens": 64,
        "messages": [{"role": "user", "content": " ".join(["word"] * (i + 3))}]}}) + "\n"
                   for i in range(n)).encode()


class ServerTest(unittest.TestCase):
    flags = ["--queue-s", "0.2", "--lines-per-s", "200", "--finalize-s", "0.1", "--fail-rate", "0", "--cancel-s",
             "0.1"]

    def start(self, *extra):
        self.dir = tempfile.mkdtemp(prefix="batch-check-")
        self.log = os.path.join(self.dir, "log.jsonl")
        opts = server.parse_args(self.flags + list(extra) + ["--log", self.log, "--seed", "7"])
        self.srv = server.serve(opts, KEY)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        self.addCleanup(self.srv.store.log.f.close)
        self.addCleanup(self.srv.server_close)
        self.addCleanup(self.srv.shutdown)
        return Api(self.srv.server_address[1])

    def create(self, api, content, **extra):
        st, f = api.upload(content)
        self.assertEqual(st, 200, f)
        st, b, _ = api.call("POST", "/batches", {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                                 "completion_window": "24h", **extra})
        self.assertEqual(st, 200, b)
        return b

    def wait_for(self, api, bid, statuses, timeout_s=30):
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            st, b, _ = api.call("GET", f"/batches/{bid}")
            self.assertEqual(st, 200, b)
            if b["status"] in statuses:
                return b
            time.sleep(0.02)  # a poll interval, not a deadline
        self.fail(f"batch {bid} never reached {statuses}; last {b['status']}")

    def content(self, api, fid):
        if fid is None:
            return []
        st, data, _ = api.call("GET", f"/files/{fid}/content", raw=True)
        self.assertEqual(st, 200)
        return [json.loads(l) for l in data.decode().splitlines() if l.strip()]

    def log_entries(self, kind):
        with open(self.log) as f:
            return [e for e in map(json.loads, f) if e["kind"] == kind]

    def logged_requests(self, n, timeout_s=10):
        """The log's request entries once there are n: the server writes an entry after its answer has gone."""
        end = time.monotonic() + timeout_s
        while True:
            reqs = self.log_entries("request")
            if len(reqs) >= n or time.monotonic() > end:
                return reqs
            time.sleep(0.01)

    def assertSchema(self, value, name):
        if DEFS is None:
            self.skipTest(f"no schemas at {SCHEMAS}")
        self.assertEqual(schema_errors(value, DEFS[name]), [], name)

    # ---- auth, models, files ---------------------------------------------------------------------------------------
    def test_models_wrongKey_401InvalidApiKey(self):
        api = self.start()
        st, body, _ = Api(self.srv.server_address[1], key="sk-wrong").call("GET", "/models")
        self.assertEqual((st, body["error"]["code"]), (401, "invalid_api_key"))
        self.assertNotIn("sk-wrong", json.dumps(body))
        st, body, _ = api.call("GET", "/models")
        self.assertEqual(st, 200)
        self.assertIn("gpt-4.1", [m["id"] for m in body["data"]])

    def test_files_uploadGetContentDelete_roundTrip(self):
        api = self.start()
        content = lines(3)
        st, f = api.upload(content)
        self.assertEqual(st, 200, f)
        self.assertSchema(f, "OpenAIFile")
        self.assertEqual((f["purpose"], f["bytes"], f["filename"]), ("batch", len(content), "input.jsonl"))
        st, g, _ = api.call("GET", f"/files/{f['id']}")
        self.assertEqual((st, g), (200, f))
        st, data, _ = api.call("GET", f"/files/{f['id']}/content", raw=True)
        self.assertEqual((st, data), (200, content))
        st, d, _ = api.call("DELETE", f"/files/{f['id']}")
        self.assertEqual((st, d), (200, {"id": f["id"], "object": "file", "deleted": True}))
        st, e, _ = api.call("GET", f"/files/{f['id']}")
        self.assertEqual(st, 404, e)

    def test_upload_noPurpose_400MissingParameter(self):
        api = self.start()
        st, body = api.upload(lines(1), purpose=None)
        self.assertEqual((st, body["error"]["param"]), (400, "purpose"))

    # ---- batch creation --------------------------------------------------------------------------------------------
    def test_createBatch_badWindowOrUnknownFile_refused(self):
        api = self.start()
        st, f = api.upload(lines(1))
        st, body, _ = api.call("POST", "/batches", {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                                    "completion_window": "1h"})
        self.assertEqual((st, body["error"]["param"]), (400, "completion_window"))
        st, body, _ = api.call("POST", "/batches", {"input_file_id": "file-nope", "endpoint": "/v1/chat/completions",
                                                    "completion_window": "24h"})
        self.assertEqual(st, 404, body)
        st, body, _ = api.call("POST", "/batches", {"input_file_id": f["id"], "completion_window": "24h"})
        self.assertEqual((st, body["error"]["param"]), (400, "endpoint"))

    # ---- lifecycle -------------------------------------------------------------------------------------------------
    def test_batch_completes_everyLineAnsweredOnceShuffledAndBilledAsLogged(self):
        api = self.start("--fail-rate", "0.3", "--fail-statuses", "500,429")
        n = 30
        b = self.create(api, lines(n), metadata={"bench_run": "r1"})
        self.assertSchema(b, "Batch")
        self.assertEqual((b["status"], b["metadata"]), ("validating", {"bench_run": "r1"}))
        b = self.wait_for(api, b["id"], server.TERMINAL)
        self.assertSchema(b, "Batch")
        self.assertEqual(b["status"], "completed")
        self.assertEqual(b["model"], "gpt-4.1")
        self.assertTrue(b["created_at"] <= b["in_progress_at"] <= b["finalizing_at"] <= b["completed_at"])
        out, err = self.content(api, b["output_file_id"]), self.content(api, b["error_file_id"])
        for line in out + err:
            self.assertSchema(line, "BatchRequestOutput")
        ids = [l["custom_id"] for l in out + err]
        self.assertEqual(sorted(ids), sorted(f"bench-{i}" for i in range(n)))
        self.assertNotEqual([l["custom_id"] for l in out], sorted((l["custom_id"] for l in out),
                                                                  key=lambda c: int(c.split("-")[1])))
        self.assertEqual(b["request_counts"], {"total": n, "completed": len(out), "failed": len(err)})
        self.assertTrue(err, "a 0.3 failure rate over 30 lines failed none (seeded: this is deterministic)")
        self.assertTrue(all(l["response"]["status_code"] in (500, 429) and "error" in l["response"]["body"]
                            for l in err))
        billed = {e["custom_id"]: e for e in self.log_entries("line")}
        for l in out:
            body = l["response"]["body"]
            self.assertSchema(body, "CreateChatCompletionResponse")
            i = int(l["custom_id"].split("-")[1])
            self.assertEqual(body["usage"]["prompt_tokens"], i + 3)  # words of the prompt
            self.assertEqual(body["usage"]["completion_tokens"], len(body["choices"][0]["message"]["content"].split()))
            self.assertEqual((billed[l["custom_id"]]["prompt_tokens"], billed[l["custom_id"]]["completion_tokens"]),
                             (body["usage"]["prompt_tokens"], body["usage"]["completion_tokens"]))
        self.assertEqual(b["usage"]["input_tokens"], sum(l["response"]["body"]["usage"]["prompt_tokens"] for l in out))
        statuses = [e["status"] for e in self.log_entries("status")]
        self.assertEqual(statuses, ["validating", "in_progress", "finalizing", "completed"])

    def test_batch_expires_partialOutputAndExpiredLines(self):
        api = self.start("--lines-per-s", "20", "--expire-after-s", "0.6")
        n = 40
        b = self.wait_for(api, self.create(api, lines(n))["id"], server.TERMINAL)
        self.assertEqual(b["status"], "expired")
        self.assertIsNotNone(b["expired_at"])
        out, err = self.content(api, b["output_file_id"]), self.content(api, b["error_file_id"])
        self.assertTrue(0 < len(out) < n, len(out))
        expired = [l for l in err if l["response"] is None]
        self.assertTrue(expired and all(l["error"]["code"] == "batch_expired" for l in expired))
        self.assertEqual(sorted(l["custom_id"] for l in out + err), sorted(f"bench-{i}" for i in range(n)))
        self.assertEqual(b["request_counts"], {"total": n, "completed": len(out), "failed": len(err)})

    def test_cancel_inProgress_cancellingThenCancelledWithUnrunLines(self):
        api = self.start("--lines-per-s", "10")
        n = 40
        b = self.create(api, lines(n))
        self.wait_for(api, b["id"], {"in_progress"})
        st, c, _ = api.call("POST", f"/batches/{b['id']}/cancel")
        self.assertEqual((st, c["status"]), (200, "cancelling"))
        self.assertIsNotNone(c["cancelling_at"])
        b = self.wait_for(api, b["id"], server.TERMINAL)
        self.assertEqual(b["status"], "cancelled")
        out, err = self.content(api, b["output_file_id"]), self.content(api, b["error_file_id"])
        self.assertTrue(err and all(l["error"]["code"] == "batch_cancelled" for l in err))
        self.assertEqual(len(out) + len(err), n)
        st, again, _ = api.call("POST", f"/batches/{b['id']}/cancel")
        self.assertEqual(st, 400, again)

    def test_batch_twoModelsOrDuplicateIds_failedWithLineErrors(self):
        api = self.start()
        b = self.wait_for(api, self.create(api, lines(4, model=lambda i: "gpt-4.1" if i < 2 else "gpt-4.1-mini"))["id"],
                          server.TERMINAL)
        self.assertSchema(b, "Batch")
        self.assertEqual(b["status"], "failed")
        self.assertIsNotNone(b["failed_at"])
        self.assertEqual([(e["code"], e["line"]) for e in b["errors"]["data"]],
                         [("mismatched_model", 3), ("mismatched_model", 4)])
        dup = lines(2) + lines(1)
        b = self.wait_for(api, self.create(api, dup)["id"], server.TERMINAL)
        self.assertEqual([(e["code"], e["line"]) for e in b["errors"]["data"]], [("duplicate_custom_id", 3)])

    def test_enqueuedTokenLimit_failedWithTokenLimitExceeded(self):
        api = self.start("--enqueued-token-limit", "100")
        b = self.wait_for(api, self.create(api, lines(3))["id"], server.TERMINAL)  # 3 × 64 max_tokens > 100
        self.assertSchema(b, "Batch")
        self.assertEqual((b["status"], [e["code"] for e in b["errors"]["data"]]), ("failed", ["token_limit_exceeded"]))
        self.assertIsNone(b["output_file_id"])

    def test_list_limitAndAfter_pagesNewestFirst(self):
        api = self.start()
        ids = [self.create(api, lines(1))["id"] for _ in range(3)]
        st, p1, _ = api.call("GET", "/batches?limit=2")
        self.assertSchema(p1, "ListBatchesResponse")
        self.assertEqual(([b["id"] for b in p1["data"]], p1["has_more"]), (ids[::-1][:2], True))
        self.assertEqual((p1["first_id"], p1["last_id"]), (ids[2], ids[1]))
        st, p2, _ = api.call("GET", f"/batches?limit=2&after={p1['last_id']}")
        self.assertEqual(([b["id"] for b in p2["data"]], p2["has_more"]), ([ids[0]], False))

    def test_poll429Every_everyNthPollIs429WithRetryAfter(self):
        api = self.start("--poll-429-every", "3", "--retry-after-s", "2")
        b = self.create(api, lines(1))
        got = [api.call("GET", f"/batches/{b['id']}") for _ in range(6)]
        self.assertEqual([g[0] for g in got], [200, 200, 429, 200, 200, 429])
        self.assertEqual(got[2][2].get("Retry-After"), "2")
        logged = [(r["status"], r.get("retry_after")) for r in self.logged_requests(8) if r["method"] == "GET"]
        self.assertEqual(logged, [(200, None), (200, None), (429, "2")] * 2)

    def test_noBatchApi_filesAndBatches404ChatStillAnswers(self):
        api = self.start("--no-batch-api")
        st, body = api.upload(lines(1))
        self.assertEqual((st, body["error"]["code"]), (404, "unknown_url"))
        st, body, _ = api.call("GET", "/batches")
        self.assertEqual(st, 404)
        st, body, _ = api.call("POST", "/chat/completions", {"model": "gpt-4.1", "messages": [
            {"role": "user", "content": "two words"}]})
        self.assertEqual((st, body["usage"]["prompt_tokens"]), (200, 2))

    def test_log_everyRequestLoggedKeyNever(self):
        api = self.start()
        self.create(api, lines(2))
        api.call("GET", "/batches")
        reqs = self.logged_requests(3)
        self.assertEqual([(r["method"], r["path"], r["status"]) for r in reqs],
                         [("POST", "/v1/files", 200), ("POST", "/v1/batches", 200), ("GET", "/v1/batches", 200)])
        with open(self.log) as f:
            self.assertNotIn(KEY, f.read())


if __name__ == "__main__":
    unittest.main()
