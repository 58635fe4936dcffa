#!/usr/bin/env python3
"""Writes a hand-made results folder (records.jsonl, run.json) whose cells were billed cached and cache-write tokens,
for `bench report DIR` to price and check.py to recompute: the check tested before the simulator reports cached tokens.

Deterministic (seed 15). Two targets: `direct` at list price in USD and `relay`, billing ¥1 per listed $1 at a market
rate of ¥7.3 (USD paid per list USD = 10/73). Cells:
  direct · claude-sonnet-4.5 · streaming   Anthropic-like: the first request of each of 3 prefix groups writes 1,200
                                           tokens to the cache, later ones read them; a 429 without usage; a usage_issue
  relay  · claude-sonnet-4.5 · streaming   the same traffic through the relay
  direct · gpt-4.1 · streaming             OpenAI-like: cached reads only (cached_tokens), in multiples of 128
  direct · deepseek-v3.2 · streaming       no cached price in the catalogue: cached tokens at the input price, no saving
plus warm-up and dropped records, which bill nothing.
Usage: python3 make-fixture.py DIR
"""
import json
import os
import random
import sys


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(15)
    records = []
    next_id = [0]

    def add(target, model, outcome="success", phase="measure", prompt=None, cached=None, write=None, completion=None, **extra):
        i = next_id[0]
        next_id[0] += 1
        sent = 100.0 + i * 50
        ok = outcome == "success"
        r = {"id": i, "model": model, "mode": "streaming", "phase": phase, "target": target, "sent_ms": sent,
             "first_byte_ms": sent + 20 if ok else None, "first_token_ms": sent + 300 if ok else None,
             "end_ms": sent + 900 if ok else sent + 30, "http_status": 200 if ok else (429 if outcome == "rate_limited" else None),
             "outcome": outcome, "prompt_tokens": prompt, "completion_tokens": completion, "cached_tokens": cached,
             "cache_write_tokens": write, "tokens_source": "usage" if prompt is not None else "none",
             # the text received: ~4 characters a token, so Bench's usage check believes the counts
             "content_chars": 4 * completion if completion else None, "events": completion}
        r.update(extra)
        records.append({k: v for k, v in r.items() if v is not None})

    for target in ("direct", "relay"):
        seen = set()
        add(target, "claude-sonnet-4.5", phase="warmup", prompt=1300, write=1200, completion=50)
        for n in range(30):
            group = rng.randrange(3)
            user = rng.randint(20, 400)
            completion = rng.randint(40, 600)
            first = group not in seen
            seen.add(group)
            add(target, "claude-sonnet-4.5", prompt=1200 + user, cached=None if first else 1200, write=1200 if first else None, completion=completion)
        add(target, "claude-sonnet-4.5", outcome="rate_limited")
        add(target, "claude-sonnet-4.5", outcome="dropped")
        # usage Bench does not believe (cached above prompt): billed nothing, counted in the attempted requests
        add(target, "claude-sonnet-4.5", prompt=100, cached=900, completion=10, usage_issue="cached_tokens (900) exceed prompt_tokens (100)")

    for n in range(25):
        prompt = rng.randint(1300, 2600)
        cached = 0 if n < 2 else (1200 // 128) * 128 + 128 * rng.randint(0, 2)
        add("direct", "gpt-4.1", prompt=prompt, cached=cached, completion=rng.randint(40, 500))

    for n in range(20):
        add("direct", "deepseek-v3.2", prompt=rng.randint(1300, 2000), cached=0 if n == 0 else 1152, completion=rng.randint(40, 400))

    with open(os.path.join(out, "records.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")

    run = {
        "run_id": "cache-check-fixture", "scenario": "cache-check fixture", "target": "hand-made records",
        "started_utc": "2026-01-01T00:00:00+00:00", "ended_utc": "2026-01-01T00:01:00+00:00",
        "clock_origin_utc": "2026-01-01T00:00:00+00:00",
        "targets": [
            {"name": "direct", "protocol": "anthropic-messages", "base_url": "https://api.example.com/v1"},
            {"name": "relay", "protocol": "openai-chat", "base_url": "https://relay.example.com/v1",
             "billing": {"currency": "CNY", "units_per_list_usd": 1, "market_units_per_usd": 7.3}},
        ],
        "report": {"monthly_requests": 2500000, "fx": [], "mixes": []},
    }
    with open(os.path.join(out, "run.json"), "w", encoding="utf-8") as f:
        json.dump(run, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fixture")
