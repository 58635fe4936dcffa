#!/usr/bin/env python3
"""Writes sample-mooncake.jsonl: a small trace in Mooncake's format, written for Bench (not taken from any trace).

Mooncake's format (kvcache-ai/Mooncake, FAST25-release/traces; mooncake_trace.jsonl): one JSON object a line,
  {"timestamp": ms since the first request, "input_length": tokens, "output_length": tokens, "hash_ids": [...]}
where each hash id names one 512-token block of the prompt and two requests that share leading ids share that prefix
(so a prefix cache can serve it). Ids are consecutive integers, each new block taking the next one.

What this sample models (deterministic, seed 15; run `python3 make-sample-mooncake.py` to rewrite it byte for byte):
- 3 system prompts of 3 blocks each (ids 0-2, 3-5, 6-8): every request starts with one of them, so prompts share a
  1,536-token prefix in 3 groups (weights 0.5, 0.3, 0.2);
- then the user's own blocks (1-6 new ids); about a third of the requests are a next turn of an earlier conversation of
  the same group, which repeats that conversation's ids and adds 1-2 blocks (history that grows);
- arrivals in bursts: gamma-distributed gaps with shape 0.5 (burstier than Poisson, vLLM's burstiness convention) at a
  mean rate of 2 requests/s, 120 requests (about a minute);
- output lengths log-normal around a median of 180 tokens (sigma 0.6), clipped to [16, 1024].
input_length is within the last block: (len(hash_ids) - 1) * 512 < input_length <= len(hash_ids) * 512.
"""
import json
import math
import os
import random

BLOCK = 512
REQUESTS = 120
RATE = 2.0          # requests per second
BURSTINESS = 0.5    # gamma shape; 1 = Poisson
SYSTEM = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
WEIGHTS = [0.5, 0.3, 0.2]


def main():
    rng = random.Random(15)
    next_id = 9
    conversations = {g: [] for g in range(len(SYSTEM))}  # group -> list of hash-id lists seen so far
    t = 0.0
    lines = []
    for i in range(REQUESTS):
        if i > 0:
            # gamma gaps: shape k, scale 1 / (rate * k), mean 1 / rate (vLLM benchmark_serving's burstiness)
            t += rng.gammavariate(BURSTINESS, 1.0 / (RATE * BURSTINESS))
        group = rng.choices(range(len(SYSTEM)), WEIGHTS)[0]
        previous = conversations[group]
        if previous and rng.random() < 0.35:
            base = rng.choice(previous)
            new = rng.randint(1, 2)
        else:
            base = list(SYSTEM[group])
            new = rng.randint(1, 6)
        ids = base + list(range(next_id, next_id + new))
        next_id += new
        previous.append(ids)
        input_length = (len(ids) - 1) * BLOCK + rng.randint(1, BLOCK)
        output_length = max(16, min(1024, round(180 * math.exp(rng.gauss(0, 0.6)))))
        lines.append({"timestamp": round(t * 1000), "input_length": input_length,
                      "output_length": output_length, "hash_ids": ids})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample-mooncake.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, separators=(", ", ": ")) + "\n")


if __name__ == "__main__":
    main()
