#!/usr/bin/env python3
"""Tests that analyse.py's checks can fail: python3 -m unittest eng/batch-check/test_analyse.py -v

A scripted client (not Bench) runs one batch against the check server and writes a results folder in Bench's shapes
(records.jsonl, batches.jsonl, run.json, summary.json); analyse.py must pass it, and fail each deliberately spoiled
copy: a second upload, a wrong outcome, a poll too soon, a cost off by a cent, the key in a file."""
import json, os, shutil, subprocess, sys, tempfile, threading, time, unittest
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402
from test_server import Api, KEY, lines  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
INTERVAL = 0.2


def read(path):
    with open(path) as f:
        return f.read()


def outcome_of(line):
    if line["error"]:
        return {"batch_expired": "expired", "batch_cancelled": "timeout"}[line["error"]["code"]], None
    st = line["response"]["status_code"]
    return ("success" if st == 200 else "rate_limited" if st == 429 else "server_error" if st >= 500
            else "client_error"), st


class AnalyseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="batch-analyse-")
        cls.log = os.path.join(cls.dir, "log.jsonl")
        opts = server.parse_args(["--queue-s", "0.3", "--lines-per-s", "100", "--finalize-s", "0.2", "--fail-rate",
                                  "0.25", "--seed", "5", "--log", cls.log])
        cls.srv = server.serve(opts, KEY)
        threading.Thread(target=cls.srv.serve_forever, daemon=True).start()
        api = Api(cls.srv.server_address[1])
        cls.api = api
        cls.results = os.path.join(cls.dir, "results")
        os.makedirs(cls.results)
        n = 20
        st, f = api.upload(lines(n))
        st, b, _ = api.call("POST", "/batches", {"input_file_id": f["id"], "endpoint": "/v1/chat/completions",
                                                 "completion_window": "24h"})
        polls = 0
        while b["status"] not in server.TERMINAL:
            time.sleep(INTERVAL)  # the scripted client's poll interval (what Bench's --batch-poll-interval sets)
            st, b, _ = api.call("GET", f"/batches/{b['id']}")
            polls += 1
        out = []
        for fid in (b["output_file_id"], b["error_file_id"]):
            if fid:
                st, data, _ = api.call("GET", f"/files/{fid}/content", raw=True)
                out += [json.loads(l) for l in data.decode().splitlines()]
        records, pin, pout = [], 0, 0
        for i, l in enumerate(out):
            oc, st = outcome_of(l)
            usage = l["response"]["body"].get("usage") if oc == "success" else None
            pin += usage["prompt_tokens"] if usage else 0
            pout += usage["completion_tokens"] if usage else 0
            records.append({"id": i, "model": "gpt-4.1", "mode": "batch-api", "phase": "measure",
                            "batch_id": b["id"], "custom_id": l["custom_id"], "outcome": oc, "http_status": st,
                            "prompt_tokens": usage and usage["prompt_tokens"],
                            "completion_tokens": usage and usage["completion_tokens"]})
        cost = (Decimal(pin) * 1 + Decimal(pout) * 4) / 1_000_000
        ok = sum(r["outcome"] == "success" for r in records)
        cls.write(cls.results, records, b, polls, float(cost), pin, pout, ok)

    @classmethod
    def tearDownClass(cls):
        cls.srv.shutdown()
        cls.srv.server_close()
        cls.srv.store.log.f.close()

    @staticmethod
    def write(d, records, b, polls, cost, pin, pout, ok):
        with open(os.path.join(d, "records.jsonl"), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
        with open(os.path.join(d, "batches.jsonl"), "w") as f:
            f.write(json.dumps({"model": "gpt-4.1", "batch_id": b["id"], "status": b["status"], "polls": polls,
                                "created_at": b["created_at"], "completed_at": b["completed_at"],
                                "request_counts": b["request_counts"]}) + "\n")
        with open(os.path.join(d, "run.json"), "w") as f:
            json.dump({"run_id": "t", "batches": [{"model": "gpt-4.1", "batch_id": b["id"], "status": b["status"]}],
                       "scenario_json": {"batch": {"poll_interval_s": INTERVAL}}}, f)
        with open(os.path.join(d, "summary.json"), "w") as f:
            json.dump({"cells": [{"model": "gpt-4.1", "mode": "batch-api", "requests": len(records),
                                  "successes": ok, "billed_tokens": {"prompt_tokens": pin, "completion_tokens": pout},
                                  "cost": {"cost_usd": cost}}]}, f)

    def analyse(self, results, log=None):
        p = subprocess.run([sys.executable, os.path.join(HERE, "analyse.py"), log or self.log, results],
                           capture_output=True, text=True, env={**os.environ, "BATCH_CHECK_KEY": KEY}, timeout=60)
        return p.returncode, p.stdout

    def copy(self):
        d = tempfile.mkdtemp(dir=self.dir)
        shutil.copytree(self.results, d, dirs_exist_ok=True)
        return d

    def failed(self, out):
        return [l for l in out.splitlines() if l.startswith("[FAIL]")]

    def test_scriptedClient_allChecksPass(self):
        rc, out = self.analyse(self.results)
        self.assertEqual((rc, self.failed(out)), (0, []), out)
        self.assertIn("output order differed from input order in 1 of 1", out)

    def test_wrongOutcome_outcomeCheckFails(self):
        d = self.copy()
        recs = [json.loads(l) for l in read(os.path.join(d, "records.jsonl")).splitlines()]
        bad = next(r for r in recs if r["outcome"] != "success")
        bad["outcome"] = "success"
        with open(os.path.join(d, "records.jsonl"), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in recs)
        rc, out = self.analyse(d)
        self.assertEqual(rc, 1)
        self.assertTrue(any("right outcome" in l for l in self.failed(out)), out)

    def test_recordMissing_joinCheckFails(self):
        d = self.copy()
        recs = read(os.path.join(d, "records.jsonl")).splitlines(keepends=True)
        with open(os.path.join(d, "records.jsonl"), "w") as f:
            f.writelines(recs[1:])
        rc, out = self.analyse(d)
        self.assertTrue(any("joined by custom_id" in l for l in self.failed(out)), out)

    def test_costOffByACent_costCheckFails(self):
        d = self.copy()
        s = json.loads(read(os.path.join(d, "summary.json")))
        s["cells"][0]["cost"]["cost_usd"] += 0.01
        with open(os.path.join(d, "summary.json"), "w") as f:
            json.dump(s, f)
        rc, out = self.analyse(d)
        self.assertTrue(any("to the cent" in l for l in self.failed(out)), out)

    def test_keyInAFile_keyCheckFails(self):
        d = self.copy()
        with open(os.path.join(d, "report.md"), "w") as f:
            f.write(f"Authorization: Bearer {KEY}\n")
        rc, out = self.analyse(d)
        self.assertTrue(any("key in no results file" in l for l in self.failed(out)), out)

    def test_secondUploadAndFastPolls_uploadAndPollingChecksFail(self):
        log = os.path.join(tempfile.mkdtemp(dir=self.dir), "log.jsonl")
        entries = [json.loads(l) for l in read(self.log).splitlines()]
        polls = [e for e in entries if e["kind"] == "request" and e["path"].startswith("/v1/batches/")]
        extra = dict(polls[0], mono=polls[0]["mono"] + 0.01, t=polls[0]["t"] + 0.01)
        up = next(e for e in entries if e["kind"] == "request" and e["path"] == "/v1/files")
        with open(log, "w") as f:
            f.writelines(json.dumps(e) + "\n" for e in entries + [extra, dict(up)])
        rc, out = self.analyse(self.results, log)
        names = " ".join(self.failed(out))
        self.assertIn("one upload + one batch per cell", names)
        self.assertIn("polling at or above", names)


if __name__ == "__main__":
    unittest.main()
