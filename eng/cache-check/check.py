#!/usr/bin/env python3
"""An independent check of what prompt caching saved (issue 15, point 5): each cell's cached tokens, cache saving and
cost recomputed from records.jsonl, not from Bench's aggregates, and compared with summary.json.

Inputs: records.jsonl (every request as recorded), run.json (the targets' billing, the report's monthly volume) and,
from summary.json, only the prices Bench states per cell (cells[].cost.prices: the prices after the cost model's
substitutions, e.g. batch prices or the input price for a missing cached price). In exact rationals
(fractions.Fraction) it recomputes per cell (target × model × mode × policy, measure phase, dropped and cancelled
requests left out):

  tokens    billed prompt, cached (cache reads) and cache-write tokens over every attempted request (a record whose usage
            Bench flagged, usage_issue, bills nothing; the other attempts of a retried request bill their prompt, cached
            and completion tokens); cached_prompt_share = cached / prompt, cache_write_prompt_share = cache write / prompt
  cost      (prompt − cached − cache write) × input + cached × cached-input + cache write × cache-write + completion ×
            output, ÷ 1e6 (cost_usd, list USD)
  saving    cached × (input − cached-input) − cache write × (cache-write − input), ÷ 1e6, × the target's USD paid per
            list USD (units_per_list_usd / market_units_per_usd; 1 at list price): cache_saving_usd; per 1,000
            attempted requests; per month at run.json's monthly_requests (or --monthly-requests); and as a share of the
            cost without the cache (cost + saving)

and compares with summary.json's cells[] (billed_tokens, cost, cost.prompt_caching) and its prompt_caching block:
money to the cent and to summary.json's own rounding (10 decimals, one unit of the last place allowed), shares to their
4 decimals, token counts exactly. Prints one line per cell; exit 0 when everything agrees, 1 on a mismatch, 2 when the
folder cannot be read.

Usage: python3 check.py RESULTS_DIR [--monthly-requests N] [--expect-cache] [--quiet]
"""
import argparse
import json
import os
import sys
from decimal import Decimal
from fractions import Fraction

MILLION = Fraction(1_000_000)
NOT_ATTEMPTS = {"dropped", "cancelled"}
USD_PLACES = 10      # summary.json's rounding of every USD figure (NumberFormat.Usd)
RATIO_PLACES = 4     # ... of a ratio (NumberFormat.Ratio)
PERCENT_PLACES = 2   # ... of a percentage (NumberFormat.TokenDifference)


def exact(value):
    """A JSON number as the exact rational of its text (0.1 is 1/10)."""
    return None if value is None else Fraction(Decimal(str(value)))


def rounded(value, places):
    """Half away from zero at `places` decimals, exactly (as .NET's MidpointRounding.AwayFromZero)."""
    scale = Fraction(10) ** places
    sign = -1 if value < 0 else 1
    return Fraction(sign * (abs(value) * scale + Fraction(1, 2)).__floor__()) / scale


def key_of(d):
    return (d.get("target") or "", d["model"], d["mode"], d.get("policy") or "")


def text_of(key):
    return " · ".join(p for p in key if p)


def usage_ok(r):
    p, c, w, o = (r.get(k) for k in ("prompt_tokens", "cached_tokens", "cache_write_tokens", "completion_tokens"))
    return all(v is None or v >= 0 for v in (p, c, w, o)) and (c or 0) + (w or 0) <= (p or 0)


def read_records(path):
    cells = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{number}: not JSON ({e.msg}); skipped", file=sys.stderr)
                continue
            if r.get("phase", "measure") != "measure" or r.get("outcome") in NOT_ATTEMPTS:
                continue
            c = cells.setdefault(key_of(r), {"attempted": 0, "prompt": 0, "cached": 0, "cache_write": 0, "completion": 0})
            c["attempted"] += 1
            if r.get("usage_issue") is None and usage_ok(r):
                for field, name in (("prompt", "prompt_tokens"), ("cached", "cached_tokens"), ("cache_write", "cache_write_tokens"), ("completion", "completion_tokens")):
                    c[field] += r.get(name) or 0
            attempts = r.get("attempts") or []
            if attempts:
                # The attempt that ended the request carries the record's own counts; the others billed their own.
                ending = max((i for i, a in enumerate(attempts) if a.get("outcome") == r.get("outcome")), default=len(attempts) - 1)
                for i, a in enumerate(attempts):
                    if i != ending and usage_ok(a):
                        c["prompt"] += a.get("prompt_tokens") or 0
                        c["cached"] += a.get("cached_tokens") or 0
                        c["completion"] += a.get("completion_tokens") or 0
    return cells


def paid_factors(run):
    """USD paid per USD of list price, per target name; 1 for a target without billing (and for records without a target)."""
    factors = {"": Fraction(1)}
    for t in run.get("targets") or []:
        b = t.get("billing") or {}
        market = exact(b.get("market_units_per_usd")) or (Fraction(1) if b.get("currency", "USD") == "USD" else None)
        units = exact(b.get("units_per_list_usd")) or market
        factors[t["name"]] = None if market is None else units / market
    return factors


class Checker:
    def __init__(self):
        self.mismatches = 0
        self.compared = 0

    def same(self, what, mine, theirs, places=None):
        """Compares an exact figure with summary.json's: exactly (places None), else within one unit of the last place
        at summary.json's rounding; money also to the cent."""
        self.compared += 1
        if theirs is None or mine is None:
            ok = theirs is None and mine is None
        elif places is None:
            ok = Fraction(theirs) == mine
        else:
            ok = abs(exact(theirs) - rounded(mine, places)) <= Fraction(1, 10 ** places)
            if ok and places == USD_PLACES:
                ok = rounded(exact(theirs), 2) == rounded(mine, 2)
        if not ok:
            self.mismatches += 1
            shown = float(mine) if isinstance(mine, Fraction) else mine
            print(f"MISMATCH {what}: summary.json {theirs}, recomputed {shown}")
        return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--monthly-requests", type=str, default=None)
    parser.add_argument("--expect-cache", action="store_true", help="a mismatch when no cell billed cached or cache-write tokens")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    try:
        with open(os.path.join(args.results, "run.json"), encoding="utf-8") as f:
            run = json.load(f)
        with open(os.path.join(args.results, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        records = read_records(os.path.join(args.results, "records.jsonl"))
    except (OSError, json.JSONDecodeError) as e:
        print(f"cannot read {args.results}: {e}", file=sys.stderr)
        return 2

    monthly = exact(args.monthly_requests) if args.monthly_requests else exact((run.get("report") or {}).get("monthly_requests", 1_000_000))
    factors = paid_factors(run)
    check = Checker()
    block = {key_of(c): c for c in (summary.get("prompt_caching") or {}).get("cells", [])}
    any_cache = False
    for cell in summary.get("cells", []):
        key = key_of(cell)
        mine = records.get(key)
        if mine is None:
            print(f"MISMATCH {text_of(key)}: in summary.json, no measured record in records.jsonl")
            check.mismatches += 1
            continue
        billed = cell.get("billed_tokens") or {}
        name = text_of(key)
        check.same(f"{name} billed_tokens.prompt_tokens", mine["prompt"], billed.get("prompt_tokens"))
        check.same(f"{name} billed_tokens.cached_tokens", mine["cached"], billed.get("cached_tokens"))
        check.same(f"{name} billed_tokens.cache_write_tokens", mine["cache_write"], billed.get("cache_write_tokens"))
        share = Fraction(mine["cached"], mine["prompt"]) if mine["prompt"] else None
        write_share = Fraction(mine["cache_write"], mine["prompt"]) if mine["prompt"] else None
        check.same(f"{name} cached_prompt_share", share, billed.get("cached_prompt_share"), RATIO_PLACES)
        check.same(f"{name} cache_write_prompt_share", write_share, billed.get("cache_write_prompt_share"), RATIO_PLACES)
        any_cache = any_cache or mine["cached"] > 0 or mine["cache_write"] > 0

        cost = cell.get("cost") or {}
        prices = cost.get("prices")
        if prices is None:
            if not args.quiet:
                print(f"{name}: unpriced ({cost.get('unpriced')}), tokens only")
            continue
        p_in, p_cached, p_write, p_out = (exact(prices[k]) for k in (
            "usd_per_million_input_tokens", "usd_per_million_cached_input_tokens",
            "usd_per_million_cache_write_input_tokens", "usd_per_million_output_tokens"))
        uncached = mine["prompt"] - mine["cached"] - mine["cache_write"]
        list_cost = (uncached * p_in + mine["cached"] * p_cached + mine["cache_write"] * p_write + mine["completion"] * p_out) / MILLION
        list_saving = (mine["cached"] * (p_in - p_cached) - mine["cache_write"] * (p_write - p_in)) / MILLION
        factor = factors.get(key[0], Fraction(1))
        check.same(f"{name} cost_usd", list_cost, cost.get("cost_usd"), USD_PLACES)
        caching = cost.get("prompt_caching") or {}
        saving = list_saving * factor if factor is not None else None
        per_1k = saving / mine["attempted"] * 1000 if saving is not None and mine["attempted"] else None
        percent = list_saving / (list_cost + list_saving) * 100 if list_cost + list_saving > 0 else None
        check.same(f"{name} cache_saving_usd", saving, caching.get("cache_saving_usd"), USD_PLACES)
        check.same(f"{name} cache_saving_usd_per_1k_requests", per_1k, caching.get("cache_saving_usd_per_1k_requests"), USD_PLACES)
        check.same(f"{name} cache_saving_percent", percent, caching.get("cache_saving_percent"), PERCENT_PLACES)
        row = block.get(key)
        if row is not None:
            check.same(f"{name} prompt_caching.cache_saving_usd_per_month", per_1k * monthly / 1000 if per_1k is not None else None,
                       row.get("cache_saving_usd_per_month"), USD_PLACES)
        if not args.quiet:
            print(f"{name}: cached {mine['cached']:,} + cache write {mine['cache_write']:,} of {mine['prompt']:,} prompt tokens; "
                  f"cost {float(list_cost):.6f} USD; saved {float(saving or 0):.6f} USD as paid "
                  f"({float(per_1k or 0):.4f} per 1k requests, {float((per_1k or 0) * monthly / 1000):,.2f} per month at {float(monthly):,.0f})")

    if any_cache != ("prompt_caching" in summary):
        check.mismatches += 1
        print(f"MISMATCH prompt_caching block: {'missing' if any_cache else 'present'} but the records {'do' if any_cache else 'do not'} bill cached or cache-write tokens")
    if any_cache and exact(summary["prompt_caching"].get("monthly_requests")) != monthly:
        check.mismatches += 1
        print(f"MISMATCH prompt_caching.monthly_requests: {summary['prompt_caching'].get('monthly_requests')}, expected {float(monthly):,.0f}")

    if args.expect_cache and not any_cache:
        check.mismatches += 1
        print("MISMATCH no cell billed cached or cache-write tokens (--expect-cache): prompt caching was not exercised")
    verdict = "agree" if check.mismatches == 0 else f"{check.mismatches} MISMATCHES"
    print(f"cache check: {len(summary.get('cells', []))} cells, {check.compared} figures compared: {verdict}")
    return 0 if check.mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
