#!/usr/bin/env python3
"""An independent OpenAI Files + Batch API server (Python standard library only).

Written from OpenAI's public API reference (files, batches, the batch request input/output objects), its batch guide
and the object schemas in shared/data/openai-api-schemas.json -- not from Bench's simulator -- so that Bench's batch
client can be checked against a second implementation. Times are real seconds:

    created (validating) --queue-s--> in_progress --lines at --lines-per-s--> finalizing --finalize-s--> completed

A line fails with probability --fail-rate (an HTTP error answer in the error file, status drawn from --fail-statuses);
a batch still running --expire-after-s after its creation expires (partial output, the unrun lines in the error file
with code batch_expired); a cancel stops the batch after the current line (cancelling for --cancel-s, then cancelled,
unrun lines in the error file with code batch_cancelled). Output lines are written in processing order, a seeded
shuffle of the input order (never the input order itself when there are two lines or more).

Every HTTP request is logged to --log (JSONL: kind "request", with method, path, status, Unix and monotonic times);
every line the server answered is logged with kind "line" (custom_id, status_code or error code, the exact tokens it
billed); batch status changes with kind "status". The API key is never logged.

Usage: server.py [--port 0] [--log server-log.jsonl] [--key-env BATCH_CHECK_KEY] [--queue-s 2] [--lines-per-s 20]
                 [--finalize-s 1] [--fail-rate 0.05] [--expire-after-s 86400] [--cancel-s 1] [--seed 1]
The chosen port is printed on stdout as "PORT <n>" once the server listens.
"""
import argparse, email.parser, email.policy, hashlib, http.server, json, os, random, sys, threading, time, urllib.parse

MAX_FILE_BYTES = 512 * 1024 * 1024           # any upload (files API reference)
MAX_BATCH_FILE_BYTES = 200 * 1024 * 1024     # a batch input file (CreateBatchRequest.input_file_id)
MAX_BATCH_LINES = 50_000                     # requests per batch input file
FILE_PURPOSES = {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}
BATCH_ENDPOINTS = {"/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations"}
SUPPORTED_ENDPOINTS = {"/v1/chat/completions"}  # what this server can run
ACTIVE = {"validating", "in_progress", "finalizing"}
TERMINAL = {"completed", "failed", "expired", "cancelled"}
WORDS = ("the a batch line answers every question with some plain words that count as tokens here and nothing more "
         "model server request file output order shuffled check bench").split()


def oai_error(message, type_="invalid_request_error", param=None, code=None):
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


class ApiError(Exception):
    def __init__(self, status, message, type_="invalid_request_error", param=None, code=None):
        super().__init__(message)
        self.status, self.body = status, oai_error(message, type_, param, code)


class Store:
    """All files and batches; one lock guards every mutation and read of them."""

    def __init__(self, opts, log):
        self.opts, self.log = opts, log
        self.lock = threading.RLock()
        self.files = {}      # id -> {"obj": file object, "data": bytes}
        self.batches = {}    # id -> batch object (dict, served as is)
        self.order = []      # batch ids, creation order
        self.cancel = {}     # batch id -> threading.Event
        self.seq = 0
        self.started = time.time_ns()  # ids differ between two server processes (the seed alone would repeat them)
        self.polls = {}      # batch id -> GETs of it (for --poll-429-every)
        self.rng = random.Random(opts.seed)

    def new_id(self, prefix):
        with self.lock:
            self.seq += 1
            h = hashlib.sha1(f"{self.started}-{self.opts.seed}-{self.seq}-{self.rng.random()}".encode()).hexdigest()[:24]
            return f"{prefix}{h}"

    # ---- files -------------------------------------------------------------------------------------------------
    def add_file(self, data, filename, purpose):
        now = int(time.time())
        fid = self.new_id("file-")
        obj = {"id": fid, "object": "file", "bytes": len(data), "created_at": now, "filename": filename,
               "purpose": purpose, "status": "processed", "status_details": None}
        if purpose == "batch":
            obj["expires_at"] = now + 30 * 86400
        with self.lock:
            self.files[fid] = {"obj": obj, "data": data}
        return obj

    def get_file(self, fid):
        with self.lock:
            f = self.files.get(fid)
        if f is None:
            raise ApiError(404, f"No such File object: {fid}", param="id")
        return f

    # ---- batches -----------------------------------------------------------------------------------------------
    def create_batch(self, req):
        if not isinstance(req, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        for field in ("input_file_id", "endpoint", "completion_window"):
            if field not in req:
                raise ApiError(400, f"Missing required parameter: '{field}'.", param=field,
                               code="missing_required_parameter")
        endpoint, window = req["endpoint"], req["completion_window"]
        if endpoint not in BATCH_ENDPOINTS:
            raise ApiError(400, f"Invalid value: '{endpoint}'. Supported values are: "
                           + ", ".join(f"'{e}'" for e in sorted(BATCH_ENDPOINTS)) + ".", param="endpoint",
                           code="invalid_value")
        if window != "24h":
            raise ApiError(400, f"Invalid value: '{window}'. Supported values are: '24h'.", param="completion_window",
                           code="invalid_value")
        meta = req.get("metadata")
        if meta is not None:
            if not isinstance(meta, dict) or len(meta) > 16 or any(
                    not isinstance(k, str) or len(k) > 64 or not isinstance(v, str) or len(v) > 512
                    for k, v in meta.items()):
                raise ApiError(400, "Invalid 'metadata': at most 16 string pairs, keys up to 64 characters, values up "
                               "to 512 characters.", param="metadata", code="invalid_value")
        f = self.get_file_for_batch(req["input_file_id"])
        now = int(time.time())
        bid = self.new_id("batch_")
        obj = {"id": bid, "object": "batch", "endpoint": endpoint, "model": None, "errors": None,
               "input_file_id": req["input_file_id"], "completion_window": window, "status": "validating",
               "output_file_id": None, "error_file_id": None, "created_at": now, "in_progress_at": None,
               "expires_at": now + int(round(self.opts.expire_after_s)), "finalizing_at": None, "completed_at": None,
               "failed_at": None, "expired_at": None, "cancelling_at": None, "cancelled_at": None,
               "request_counts": {"total": 0, "completed": 0, "failed": 0}, "metadata": meta}
        ev = threading.Event()
        with self.lock:
            self.batches[bid] = obj
            self.order.append(bid)
            self.cancel[bid] = ev
            snapshot = json.loads(json.dumps(obj))
        self.log.write({"kind": "status", "batch_id": bid, "status": "validating", "t": time.time(),
                        "input_file_id": req["input_file_id"], "metadata": meta})
        threading.Thread(target=Runner(self, bid, f["data"], ev).run, daemon=True).start()
        return snapshot

    def get_file_for_batch(self, fid):
        if not isinstance(fid, str):
            raise ApiError(400, "Invalid 'input_file_id': expected a string.", param="input_file_id")
        with self.lock:
            f = self.files.get(fid)
        if f is None:
            raise ApiError(404, f"No such File object: {fid}", param="input_file_id")
        if f["obj"]["purpose"] != "batch":
            raise ApiError(400, f"File {fid} has purpose '{f['obj']['purpose']}'; a batch needs purpose 'batch'.",
                           param="input_file_id", code="invalid_file_purpose")
        return f

    def get_batch(self, bid):
        with self.lock:
            b = self.batches.get(bid)
            if b is None:
                raise ApiError(404, f"No batch found with id '{bid}'.", param="batch_id")
            return json.loads(json.dumps(b))

    def update(self, bid, **fields):
        with self.lock:
            b = self.batches[bid]
            old = b["status"]
            b.update(fields)
            new = b["status"]
        if new != old:
            entry = {"kind": "status", "batch_id": bid, "status": new, "t": time.time()}
            if new == "failed":
                entry["error_codes"] = [e["code"] for e in (fields.get("errors") or {}).get("data", [])]
            self.log.write(entry)

    def cancel_batch(self, bid):
        with self.lock:
            b = self.batches.get(bid)
            if b is None:
                raise ApiError(404, f"No batch found with id '{bid}'.", param="batch_id")
            if b["status"] in TERMINAL:
                raise ApiError(400, f"Cannot cancel a batch with status '{b['status']}'.", param="batch_id")
            if b["status"] != "cancelling":
                b["status"], b["cancelling_at"] = "cancelling", int(time.time())
                self.cancel[bid].set()
                self.log.write({"kind": "status", "batch_id": bid, "status": "cancelling", "t": time.time()})
            return json.loads(json.dumps(b))

    def list_batches(self, after, limit):
        with self.lock:
            ids = list(reversed(self.order))  # newest first
            if after:
                if after not in self.batches:
                    raise ApiError(400, f"Invalid 'after': no batch '{after}'.", param="after")
                ids = ids[ids.index(after) + 1:]
            page = [json.loads(json.dumps(self.batches[i])) for i in ids[:limit]]
            return {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
                    "last_id": page[-1]["id"] if page else None, "has_more": len(ids) > limit}


def words_of(body):
    """The prompt's words: every text content of every message (the server's token count for a prompt)."""
    n = 0
    for m in body.get("messages") or []:
        c = m.get("content") if isinstance(m, dict) else None
        if isinstance(c, str):
            n += len(c.split())
        elif isinstance(c, list):
            for part in c:
                if isinstance(part, dict) and isinstance(part.get("text"), str):
                    n += len(part["text"].split())
    return n


def completion(body, rng, model_default="gpt-4.1"):
    """A chat.completion for a request body: prompt_tokens = words of the prompt, completion_tokens = words generated
    (capped by max_completion_tokens/max_tokens, finish_reason 'length' when capped)."""
    cap = body.get("max_completion_tokens") or body.get("max_tokens")
    want = rng.randint(8, 120)
    n = min(want, cap) if isinstance(cap, int) and cap > 0 else want
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    prompt = words_of(body)
    return {"id": "chatcmpl-" + "%024x" % rng.getrandbits(96), "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model") or model_default,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None,
                                                 "annotations": []},
                         "logprobs": None, "finish_reason": "length" if n < want else "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": n, "total_tokens": prompt + n,
                      "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                      "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                    "accepted_prediction_tokens": 0,
                                                    "rejected_prediction_tokens": 0}},
            "service_tier": "default", "system_fingerprint": "fp_batchcheck"}


FAILURES = {
    500: oai_error("The server had an error processing your request. Sorry about that!", "server_error"),
    429: oai_error("Rate limit reached for requests.", "requests", code="rate_limit_exceeded"),
    400: oai_error("Invalid request: the line was refused by the check server.", code="invalid_request"),
    503: oai_error("The engine is currently overloaded, please try again later.", "server_error"),
}


class Runner:
    """Runs one batch on its own thread, in real seconds."""

    def __init__(self, store, bid, data, cancel):
        self.s, self.bid, self.data, self.cancel = store, bid, data, cancel
        o = store.opts
        self.rng = random.Random(f"{o.seed}/{bid}")

    def wait(self, seconds, deadline):
        """Waits up to seconds (real); returns 'cancel' or 'expire' when either comes first, else None."""
        now = time.monotonic()
        if now + seconds >= deadline:
            return "cancel" if self.cancel.wait(max(0.0, deadline - now)) else "expire"
        return "cancel" if self.cancel.wait(seconds) else None

    def validate(self):
        """Returns (lines, errors): the parsed input lines, or the BatchError list that fails the batch."""
        b = self.s.get_batch(self.bid)
        errors, lines, ids, models = [], [], set(), set()
        if len(self.data) > MAX_BATCH_FILE_BYTES:
            return [], [{"code": "file_too_large", "message": f"The input file is larger than the "
                         f"{MAX_BATCH_FILE_BYTES} bytes a batch accepts.", "param": None, "line": None}]
        raw = [l for l in self.data.decode("utf-8", "replace").splitlines() if l.strip()]
        if not raw:
            return [], [{"code": "empty_file", "message": "The input file is empty.", "param": None, "line": None}]
        if len(raw) > MAX_BATCH_LINES:
            return [], [{"code": "too_many_requests", "message": f"The input file has {len(raw)} requests; a batch "
                         f"accepts at most {MAX_BATCH_LINES}.", "param": None, "line": None}]
        for i, text in enumerate(raw, 1):
            def err(code, msg, param=None):
                errors.append({"code": code, "message": msg, "param": param, "line": i})
            try:
                line = json.loads(text)
            except ValueError:
                err("invalid_json_line", "This line is not parseable as valid JSON."); continue
            if not isinstance(line, dict):
                err("invalid_json_line", "A line must be a JSON object."); continue
            for field in ("custom_id", "method", "url", "body"):
                if field not in line:
                    err("missing_required_parameter", f"Missing required parameter: '{field}'.", field)
            if any(f not in line for f in ("custom_id", "method", "url", "body")):
                continue
            if line["method"] != "POST":
                err("invalid_method", "Only POST is supported.", "method")
            if line["url"] != b["endpoint"]:
                err("invalid_url", f"The url '{line['url']}' does not match the batch's endpoint "
                    f"'{b['endpoint']}'.", "url")
            if not isinstance(line["body"], dict):
                err("invalid_request", "The body must be a JSON object.", "body"); continue
            if line["custom_id"] in ids:
                err("duplicate_custom_id", f"The custom_id '{line['custom_id']}' is not unique in the file.",
                    "custom_id")
            ids.add(line["custom_id"])
            model = line["body"].get("model")
            if not model:
                err("missing_required_parameter", "Missing required parameter: 'body.model'.", "body.model")
            elif models and model not in models:
                err("mismatched_model", f"The model '{model}' differs from '{next(iter(models))}', the model of the "
                    "other requests in the file: a batch file holds one model.", "body.model")
            else:
                models.add(model)
            lines.append(line)
        limit = self.s.opts.enqueued_token_limit
        if not errors and limit and lines:
            # OpenAI's per-model queue limit: prompt words + max_tokens of every line, counted at validation.
            enqueued = sum(words_of(l["body"]) + int(l["body"].get("max_tokens") or l["body"].get(
                "max_completion_tokens") or 0) for l in lines)
            if enqueued > limit:
                errors.append({"code": "token_limit_exceeded", "message": f"Enqueued token limit reached for "
                               f"{lines[0]['body'].get('model')} in organization org-batch-check. Limit: {limit:,} "
                               "enqueued tokens. Please try again once some in_progress batches have been completed.",
                               "param": None, "line": None})
        if not errors and b["endpoint"] not in SUPPORTED_ENDPOINTS:
            errors.append({"code": "unsupported_endpoint", "message": f"This server runs only "
                           f"{sorted(SUPPORTED_ENDPOINTS)}.", "param": "endpoint", "line": None})
        return lines, errors[:100]

    def run(self):
        s, o, bid = self.s, self.s.opts, self.bid
        created = time.monotonic()
        deadline = created + o.expire_after_s
        lines, errors = self.validate()
        outcome = self.wait(o.queue_s, deadline)
        if errors and outcome is None:
            s.update(bid, status="failed", failed_at=int(time.time()), errors={"object": "list", "data": errors})
            return
        if lines:
            s.update(bid, model=lines[0]["body"].get("model"))
        if outcome is None:
            s.update(bid, status="in_progress", in_progress_at=int(time.time()),
                     request_counts={"total": len(lines), "completed": 0, "failed": 0})
        usage = {"input_tokens": 0, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 0}
        order = list(range(len(lines)))
        if len(order) > 1:
            while order == sorted(order):
                self.rng.shuffle(order)
        out, err, done, ok, failed = [], [], set(), 0, 0
        for k in order:
            if outcome is not None:
                break
            outcome = self.wait(1.0 / o.lines_per_s, deadline)
            if outcome is not None:
                break
            line = lines[k]
            rid = "req_" + "%032x" % self.rng.getrandbits(128)
            oid = "batch_req_" + "%032x" % self.rng.getrandbits(128)
            body = line["body"]
            if self.rng.random() < o.fail_rate:
                status = self.rng.choice(o.fail_statuses)
                err.append({"id": oid, "custom_id": line["custom_id"],
                            "response": {"status_code": status, "request_id": rid, "body": FAILURES[status]},
                            "error": None})
                failed += 1
                s.log.write({"kind": "line", "batch_id": bid, "custom_id": line["custom_id"], "status_code": status,
                             "prompt_tokens": 0, "completion_tokens": 0, "t": time.time()})
            elif not body.get("messages"):
                err.append({"id": oid, "custom_id": line["custom_id"],
                            "response": {"status_code": 400, "request_id": rid,
                                         "body": oai_error("Missing required parameter: 'messages'.",
                                                           param="messages", code="missing_required_parameter")},
                            "error": None})
                failed += 1
                s.log.write({"kind": "line", "batch_id": bid, "custom_id": line["custom_id"], "status_code": 400,
                             "prompt_tokens": 0, "completion_tokens": 0, "t": time.time()})
            else:
                c = completion(body, self.rng)
                out.append({"id": oid, "custom_id": line["custom_id"],
                            "response": {"status_code": 200, "request_id": rid, "body": c}, "error": None})
                ok += 1
                usage["input_tokens"] += c["usage"]["prompt_tokens"]
                usage["output_tokens"] += c["usage"]["completion_tokens"]
                usage["total_tokens"] += c["usage"]["total_tokens"]
                s.log.write({"kind": "line", "batch_id": bid, "custom_id": line["custom_id"], "status_code": 200,
                             "prompt_tokens": c["usage"]["prompt_tokens"],
                             "completion_tokens": c["usage"]["completion_tokens"], "model": c["model"],
                             "t": time.time()})
            done.add(k)
            s.update(bid, request_counts={"total": len(lines), "completed": ok, "failed": failed},
                     usage=json.loads(json.dumps(usage)))
        if outcome is None:
            s.update(bid, status="finalizing", finalizing_at=int(time.time()))
            outcome = self.wait(o.finalize_s, deadline)
            if outcome is None:
                self.finish("completed", "completed_at", out, err, ok, failed, len(lines))
                return
        # Expired or cancelled: the lines that never ran go to the error file with the matching code.
        if outcome == "expire" and errors:
            s.update(bid, status="failed", failed_at=int(time.time()), errors={"object": "list", "data": errors})
            return
        code, msg = (("batch_expired", "This request could not be executed before the completion window expired.")
                     if outcome == "expire" else
                     ("batch_cancelled", "This request was not executed because the batch was cancelled."))
        for k in order:
            if k not in done:
                err.append({"id": "batch_req_" + "%032x" % self.rng.getrandbits(128),
                            "custom_id": lines[k]["custom_id"], "response": None,
                            "error": {"code": code, "message": msg}})
                failed += 1
                s.log.write({"kind": "line", "batch_id": bid, "custom_id": lines[k]["custom_id"], "error_code": code,
                             "prompt_tokens": 0, "completion_tokens": 0, "t": time.time()})
        if outcome == "cancel":
            time.sleep(o.cancel_s)  # "cancelling" lasts a while before "cancelled" (the API reference: up to 10 min)
            self.finish("cancelled", "cancelled_at", out, err, ok, failed, len(lines))
        else:
            self.finish("expired", "expired_at", out, err, ok, failed, len(lines))

    def finish(self, status, at_field, out, err, ok, failed, total):
        s = self.s
        fields = {"status": status, at_field: int(time.time()),
                  "request_counts": {"total": total, "completed": ok, "failed": failed}}
        name = self.bid
        if out:
            fields["output_file_id"] = s.add_file(
                "".join(json.dumps(x) + "\n" for x in out).encode(), f"{name}_output.jsonl", "batch_output")["id"]
        if err:
            fields["error_file_id"] = s.add_file(
                "".join(json.dumps(x) + "\n" for x in err).encode(), f"{name}_error.jsonl", "batch_output")["id"]
        s.update(self.bid, **fields)


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, obj):
        with self.lock:
            self.f.write(json.dumps(obj) + "\n")


def make_handler(store, key, models):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "batch-check/1"

        def log_message(self, *a):
            pass

        def parse_request(self):
            self.arrived_t, self.arrived_mono = time.time(), time.monotonic()
            return super().parse_request()

        def body(self):
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def send(self, status, payload, ctype="application/json", extra=()):
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", "req_" + os.urandom(8).hex())
            for k, v in extra:
                self.send_header(k, v)
                if k == "Retry-After":
                    self.retry_after = v
            self.end_headers()
            self.wfile.write(data)
            self.status = status

        def handle_any(self, method):
            self.status, self.retry_after = 0, None
            u = urllib.parse.urlsplit(self.path)
            path, query = u.path.rstrip("/"), urllib.parse.parse_qs(u.query)
            try:
                raw = self.body()
                auth = self.headers.get("Authorization") or ""
                if auth != f"Bearer {key}":
                    raise ApiError(401, "Incorrect API key provided. You can find your API key at "
                                   "https://platform.openai.com/account/api-keys.", code="invalid_api_key")
                self.route(method, path, query, raw)
            except ApiError as e:
                self.send(e.status, e.body)
            except Exception as e:  # a bug here is a 500 the client must classify, logged with its reason
                self.send(500, oai_error(f"check server error: {type(e).__name__}: {e}", "server_error"))
            finally:
                entry = {"kind": "request", "method": method, "path": path, "query": u.query, "status": self.status,
                         "t": self.arrived_t, "mono": self.arrived_mono,
                         "ms": round((time.monotonic() - self.arrived_mono) * 1000, 3)}
                if self.retry_after is not None:
                    entry["retry_after"] = self.retry_after
                store.log.write(entry)

        def route(self, method, path, query, raw):
            parts = path.split("/")[1:]  # "", v1, ...
            if parts[:1] != ["v1"]:
                raise ApiError(404, f"Unknown request URL: {method} {path}.", code="unknown_url")
            p = parts[1:]
            if p == ["models"] and method == "GET":
                return self.send(200, {"object": "list", "data": [
                    {"id": m, "object": "model", "created": 1700000000, "owned_by": "batch-check"} for m in models]})
            if len(p) == 2 and p[0] == "models" and method == "GET":
                if p[1] not in models:
                    raise ApiError(404, f"The model '{p[1]}' does not exist", code="model_not_found", param="model")
                return self.send(200, {"id": p[1], "object": "model", "created": 1700000000, "owned_by": "batch-check"})
            if p == ["chat", "completions"] and method == "POST":
                return self.chat(raw)
            if store.opts.no_batch_api and p[:1] in (["files"], ["batches"]):
                raise ApiError(404, f"Unknown request URL: {method} {path}.", code="unknown_url")
            if p == ["files"] and method == "POST":
                return self.upload(raw)
            if p == ["files"] and method == "GET":
                purpose = (query.get("purpose") or [None])[0]
                with store.lock:
                    data = [f["obj"] for f in store.files.values() if purpose in (None, f["obj"]["purpose"])]
                return self.send(200, {"object": "list", "data": data, "has_more": False,
                                       "first_id": data[0]["id"] if data else None,
                                       "last_id": data[-1]["id"] if data else None})
            if len(p) == 2 and p[0] == "files" and method == "GET":
                return self.send(200, store.get_file(p[1])["obj"])
            if len(p) == 2 and p[0] == "files" and method == "DELETE":
                store.get_file(p[1])
                with store.lock:
                    store.files.pop(p[1], None)
                return self.send(200, {"id": p[1], "object": "file", "deleted": True})
            if len(p) == 3 and p[0] == "files" and p[2] == "content" and method == "GET":
                return self.send(200, store.get_file(p[1])["data"], "application/octet-stream")
            if p == ["batches"] and method == "POST":
                try:
                    req = json.loads(raw or b"null")
                except ValueError:
                    raise ApiError(400, "We could not parse the JSON body of your request.")
                return self.send(200, store.create_batch(req))
            if p == ["batches"] and method == "GET":
                try:
                    limit = int((query.get("limit") or ["20"])[0])
                except ValueError:
                    raise ApiError(400, "Invalid 'limit': expected an integer.", param="limit")
                if not 1 <= limit <= 100:
                    raise ApiError(400, f"Invalid 'limit': {limit}; expected 1 to 100.", param="limit")
                return self.send(200, store.list_batches((query.get("after") or [None])[0], limit))
            if len(p) == 2 and p[0] == "batches" and method == "GET":
                b = store.get_batch(p[1])
                every = store.opts.poll_429_every
                if every:
                    with store.lock:
                        n = store.polls[p[1]] = store.polls.get(p[1], 0) + 1
                    if n % every == 0:
                        return self.send(429, oai_error("Rate limit reached for requests.", "requests",
                                                        code="rate_limit_exceeded"),
                                         extra=[("Retry-After", f"{store.opts.retry_after_s:g}")])
                return self.send(200, b)
            if len(p) == 3 and p[0] == "batches" and p[2] == "cancel" and method == "POST":
                return self.send(200, store.cancel_batch(p[1]))
            raise ApiError(404, f"Unknown request URL: {method} {path}.", code="unknown_url")

        def upload(self, raw):
            ctype = self.headers.get("Content-Type") or ""
            if not ctype.startswith("multipart/form-data"):
                raise ApiError(400, "Uploads must be multipart/form-data with the fields 'file' and 'purpose'.")
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            fields, data, filename = {}, None, None
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name == "file":
                    data, filename = part.get_payload(decode=True) or b"", part.get_filename() or "upload"
                elif name:
                    fields[name] = (part.get_payload(decode=True) or b"").decode()
            if data is None:
                raise ApiError(400, "Missing required parameter: 'file'.", param="file",
                               code="missing_required_parameter")
            purpose = fields.get("purpose")
            if not purpose:
                raise ApiError(400, "Missing required parameter: 'purpose'.", param="purpose",
                               code="missing_required_parameter")
            if purpose not in FILE_PURPOSES:
                raise ApiError(400, f"Invalid value: '{purpose}'. Supported values are: "
                               + ", ".join(f"'{x}'" for x in sorted(FILE_PURPOSES)) + ".", param="purpose",
                               code="invalid_value")
            if len(data) > (MAX_BATCH_FILE_BYTES if purpose == "batch" else MAX_FILE_BYTES):
                raise ApiError(400, "File is too large.", param="file", code="file_too_large")
            obj = store.add_file(data, filename, purpose)
            if purpose == "batch":
                ids = []
                for l in data.splitlines():
                    try:
                        ids.append(json.loads(l).get("custom_id") if l.strip() else None)
                    except (ValueError, AttributeError):
                        ids.append(None)
                store.log.write({"kind": "upload", "file_id": obj["id"], "bytes": len(data),
                                 "lines": sum(1 for l in data.splitlines() if l.strip()),
                                 "custom_ids": [i for i in ids if i is not None],
                                 "first_line": data.splitlines()[0].decode("utf-8", "replace")[:2000] if data else "",
                                 "t": time.time()})
            return self.send(200, obj)

        def chat(self, raw):
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                raise ApiError(400, "We could not parse the JSON body of your request.")
            if not isinstance(body, dict) or not body.get("messages"):
                raise ApiError(400, "Missing required parameter: 'messages'.", param="messages",
                               code="missing_required_parameter")
            if body.get("model") not in models:
                raise ApiError(404, f"The model '{body.get('model')}' does not exist or you do not have access to "
                               "it.", param="model", code="model_not_found")
            c = completion(body, random.Random(os.urandom(8)))
            if not body.get("stream"):
                return self.send(200, c)
            chunks = [{"id": c["id"], "object": "chat.completion.chunk", "created": c["created"], "model": c["model"],
                       "choices": [{"index": 0, "delta": {"role": "assistant", "content": w + " "},
                                    "finish_reason": None}]} for w in c["choices"][0]["message"]["content"].split()]
            chunks.append({"id": c["id"], "object": "chat.completion.chunk", "created": c["created"],
                           "model": c["model"], "choices": [{"index": 0, "delta": {},
                                                             "finish_reason": c["choices"][0]["finish_reason"]}]})
            if (body.get("stream_options") or {}).get("include_usage"):
                chunks.append({"id": c["id"], "object": "chat.completion.chunk", "created": c["created"],
                               "model": c["model"], "choices": [], "usage": c["usage"]})
            data = b"".join(b"data: " + json.dumps(x).encode() + b"\n\n" for x in chunks) + b"data: [DONE]\n\n"
            self.send(200, data, "text/event-stream")

        def do_GET(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

        def do_DELETE(self):
            self.handle_any("DELETE")

    return H


def parse_args(argv=None):
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--port", type=int, default=0, help="0 = a free port (printed)")
    a.add_argument("--log", default="server-log.jsonl", help="JSONL log of requests, lines billed, statuses")
    a.add_argument("--key-env", default="BATCH_CHECK_KEY", help="environment variable holding the Bearer key")
    a.add_argument("--models", default="gpt-4.1,gpt-4.1-mini,gpt-4o-mini,o4-mini")
    a.add_argument("--queue-s", type=float, default=2.0, help="validating + queue, real s, before in_progress")
    a.add_argument("--lines-per-s", type=float, default=20.0)
    a.add_argument("--finalize-s", type=float, default=1.0)
    a.add_argument("--fail-rate", type=float, default=0.05, help="fraction of lines answered with an HTTP error")
    a.add_argument("--fail-statuses", default="500,429,400", help="HTTP statuses a failed line draws from")
    a.add_argument("--expire-after-s", type=float, default=86400.0, help="the completion window, real s")
    a.add_argument("--cancel-s", type=float, default=1.0, help="how long 'cancelling' lasts")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--poll-429-every", type=int, default=0,
                   help="answer every Nth GET /v1/batches/{id} of a batch with 429 and Retry-After (0 = never)")
    a.add_argument("--retry-after-s", type=float, default=2.0, help="the Retry-After of those 429s, s")
    a.add_argument("--enqueued-token-limit", type=int, default=0,
                   help="fail a batch whose prompt words + max_tokens exceed this (token_limit_exceeded); 0 = none")
    a.add_argument("--no-batch-api", action="store_true",
                   help="answer /v1/files and /v1/batches with 404, as a provider without a Batch API")
    o = a.parse_args(argv)
    o.fail_statuses = [int(x) for x in o.fail_statuses.split(",") if x]
    unknown = [x for x in o.fail_statuses if x not in FAILURES]
    if unknown or o.lines_per_s <= 0 or not 0 <= o.fail_rate <= 1:
        a.error(f"bad flags: fail statuses {unknown} (known {sorted(FAILURES)}), lines-per-s > 0, fail-rate in [0,1]")
    return o


def serve(opts, key):
    log = Log(opts.log)
    store = Store(opts, log)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", opts.port),
                                          make_handler(store, key, [m for m in opts.models.split(",") if m]))
    srv.daemon_threads = True
    srv.store = store
    return srv


def main():
    opts = parse_args()
    key = os.environ.get(opts.key_env)
    if not key:
        print(f"set {opts.key_env} to the API key the server should accept", file=sys.stderr)
        sys.exit(2)
    srv = serve(opts, key)
    print(f"PORT {srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
