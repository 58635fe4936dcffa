#!/usr/bin/env python3
"""An independent check of the budget holder's page (issue 18, point 6): every money figure of the plan recomputed from
the records, not from Bench's aggregates.

It reads a results folder — records.jsonl (every request as recorded), run.json (the scenario's traffic classes, the
targets' billing, the report settings: --monthly-requests, --fx, --current) and, from summary.json, only what are
inputs to the arithmetic: the prices Bench states per cell (cells[].cost.prices, cells[].cost.price_tier) and which cells
the plan lists as meeting each class (plan.classes[].options: which cells meet an SLO set is a statistical judgement
this script does not redo). It then recomputes, in exact rationals (fractions.Fraction, so 1/7.3 is 10/73, not 28 digits):

  per cell     attempted requests, successes and billed tokens (prompt, cached, cache-write, completion; every attempt
               of a retried request; a record whose usage Bench did not believe, usage_issue, bills nothing)
  per class    its monthly volume (share × --monthly-requests, or its own monthly_requests, rescaled when
               --monthly-requests was given); each option's monthly cost = volume × the cell's mean billed tokens per
               attempted request × the price per token (batch prices for batch-api, as stated) × the target's USD paid
               per listed USD (units_per_list_usd / market_units_per_usd); the choice (cheapest paid cost per
               successful request among the options), the runner-up, the current setup's cost, both savings
  plan         total, current (the current cell on every class, or the flat spend ÷ its --fx rate), saving, percent,
               break-even (flat spend × plan volume / total)

and compares them with summary.json's plan block and with the figures printed in report.md's executive summary
(amounts as "¥123,456.78 (USD 16,912.00)" or "USD 16,912.00"), exact to the cent; it also checks that the summary's
figures link to the budget-plan table and that the simulated banner is where figures are when a target was the
simulator. Prints a table; exit 0 when everything agrees, 1 on any mismatch, 2 when the folder cannot be read.

`bench report DIR --monthly-requests N --fx … --current …` does not write its flags back to run.json, so give this
script the same flags: they override run.json's report settings as they override Bench's.

Usage: python3 check.py RESULTS_DIR [--monthly-requests N] [--fx CUR=RATE ...] [--current CELL|SPEND] [--quiet]
"""
import argparse
import json
import os
import re
import sys
from decimal import Decimal
from fractions import Fraction

MILLION = Fraction(1_000_000)
BANNER = "Simulated, calibrated to published figures — not a measurement of any provider."
SIMULATOR_BASE_URL = "embedded simulator"
NOT_ATTEMPTS = {"dropped", "cancelled"}
SYMBOLS = {"CNY": "¥", "JPY": "¥", "EUR": "€", "GBP": "£", "USD": "$"}


def dec(value):
    """A JSON number (int, float or the text of one) as the exact rational of what was written."""
    if value is None:
        return None
    return Fraction(Decimal(str(value)))


def cents(value):
    """Rounded to cents, half away from zero (as .NET formats a decimal), exactly: a Fraction never carries the
    representation error of 1/7.3 in 28 digits, so an exact half cent stays a half cent."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    whole = (abs(value) * 100 + Fraction(1, 2)).__floor__()
    return Decimal(sign * whole) / 100


def money(value):
    """As the report prints an amount: 1,234.56, a minus sign as U+2212."""
    q = cents(value)
    text = f"{abs(q):,.2f}"
    return ("−" + text) if q < 0 else text


class Fx:
    def __init__(self, text):
        label, _, rate = text.partition("=")
        self.label = label.strip()
        self.currency = self.label.split("-")[0].upper()
        self.units_per_usd = Fraction(Decimal(rate.strip()))

    def amount(self, usd):
        symbol = SYMBOLS.get(self.currency, self.currency + " ")
        return f"{symbol}{money(usd * self.units_per_usd)} (USD {money(usd)})"


def amount_text(usd, fx):
    return fx[0].amount(usd) if fx else f"USD {money(usd)}"


# ----- reading ---------------------------------------------------------------------------------------------------


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cell_key(target, model, mode, policy):
    return (target or "", model, mode, policy or "")


def key_text(key):
    target, model, mode, policy = key
    parts = [p for p in (target, model, mode, policy) if p]
    return " · ".join(parts)


def read_records(path):
    """Per cell: attempted, successes, rate-limited attempts and billed tokens, from records.jsonl."""
    cells = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if r.get("phase", "measure") != "measure" or r.get("outcome") in NOT_ATTEMPTS:
                continue
            key = cell_key(r.get("target"), r["model"], r["mode"], r.get("policy"))
            c = cells.setdefault(key, {"attempted": 0, "successes": 0, "prompt": 0, "cached": 0, "cache_write": 0, "completion": 0,
                                       "outcomes": {}})
            c["attempted"] += 1
            outcome = r.get("outcome")
            c["outcomes"][outcome] = c["outcomes"].get(outcome, 0) + 1
            if outcome == "success":
                c["successes"] += 1
            if r.get("usage_issue") is None and consistent(r):
                c["prompt"] += r.get("prompt_tokens") or 0
                c["cached"] += r.get("cached_tokens") or 0
                c["cache_write"] += r.get("cache_write_tokens") or 0
                c["completion"] += r.get("completion_tokens") or 0
            attempts = r.get("attempts") or []
            if attempts:
                # The attempt that ended the request is the record's own counts; every other attempt that carries
                # usage was billed too (a retried 500 that streamed half an answer).
                ending = None
                for i in range(len(attempts) - 1, -1, -1):
                    if attempts[i].get("outcome") == outcome:
                        ending = i
                        break
                if ending is None:
                    ending = len(attempts) - 1
                for i, a in enumerate(attempts):
                    if i == ending or not consistent(a):
                        continue
                    c["prompt"] += a.get("prompt_tokens") or 0
                    c["cached"] += a.get("cached_tokens") or 0
                    c["completion"] += a.get("completion_tokens") or 0
    return cells


def consistent(r):
    p, c, o = r.get("prompt_tokens"), r.get("cached_tokens"), r.get("completion_tokens")
    return all(v is None or v >= 0 for v in (p, c, o)) and (c or 0) <= (p or 0)


def classes_of(run):
    """(name, share or None, own monthly or None, max_turnaround_h) per SLO set, from run.json's scenario."""
    scenario = run.get("scenario_json") or {}
    return [(s["name"], dec(s.get("share")), dec(s.get("monthly_requests")), s.get("max_turnaround_h")) for s in scenario.get("slos") or []]


def volumes(classes, report):
    """Each class's monthly requests and the plan's volume, by the documented rules (README, 'Budget plan')."""
    n = dec(report.get("monthly_requests", 1_000_000))
    given = bool(report.get("monthly_requests_given"))
    if classes and all(c[1] is not None for c in classes):
        return {c[0]: n * c[1] / 100 for c in classes}, n, True
    if classes and all(c[2] is not None for c in classes):
        total = sum(c[2] for c in classes)
        return {c[0]: (c[2] * n / total if given else c[2]) for c in classes}, (n if given else total), True
    if len(classes) == 1:
        return {classes[0][0]: n}, n, True
    return {c[0]: n for c in classes}, n, False


def billing_factors(run):
    """USD paid per USD of list price, per target name (1 without billing)."""
    factors = {}
    for t in run.get("targets") or []:
        b = t.get("billing")
        if not b:
            factors[t["name"]] = Fraction(1)
            continue
        market = dec(b.get("market_units_per_usd")) or (Fraction(1) if b.get("currency", "USD") == "USD" else None)
        units = dec(b.get("units_per_list_usd")) or market
        factors[t["name"]] = None if market is None else units / market
    return factors


def simulated_targets(run, cells):
    targets = run.get("targets")
    if targets:
        return [t["name"] for t in targets if t.get("base_url") == SIMULATOR_BASE_URL]
    if (run.get("target") or "").startswith(SIMULATOR_BASE_URL):
        return sorted({k[0] for k in cells if k[0]}) or ["simulator"]
    return []


NOTE_AMOUNT = re.compile(r"^(?P<cell>.+?) would cost (?:less \()?(?P<usd>[\d,]+\.\d\d) USD a month")
SPEND = re.compile(r"^(?P<amount>\d[\d,_]*(\.\d+)?)\s*(?P<mult>[kKM])?\s*(?P<currency>[A-Za-z]{3})?$")


def parse_current(text, fx):
    """('spend', usd, amount, currency) or ('cell', model, mode, policy, target) or None."""
    if not text:
        return None
    text = text.strip()
    m = SPEND.match(text)
    if m:
        amount = Fraction(Decimal(m.group("amount").replace(",", "").replace("_", "")))
        amount *= {"k": 1000, "K": 1000, "M": 1_000_000}.get(m.group("mult") or "", 1)
        currency = (m.group("currency") or "USD").upper()
        if currency == "USD":
            return ("spend", amount, amount, currency)
        rate = next((r for r in fx if r.label.upper() == currency), None) or next((r for r in fx if r.currency == currency), None)
        return ("spend", amount / rate.units_per_usd if rate else None, amount, currency)
    selector, _, target = text.partition("@")
    parts = selector.split(":")
    return ("cell", parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None, target or None)


def match_current(sel, keys):
    _, model, mode, policy, target = sel
    matches = [k for k in keys if k[1].lower() == model.lower() and (mode is None or k[2] == mode)
               and (policy is None or k[3] == policy) and (target is None or k[0] == target)]
    if len(matches) > 1 and any(not k[3] for k in matches):
        matches = [k for k in matches if not k[3]]
    return matches[0] if len(matches) == 1 else None


# ----- the arithmetic --------------------------------------------------------------------------------------------


class Priced:
    """One cell at its stated prices: list cost per attempted request and per success, USD."""

    def __init__(self, key, tokens, prices, factor):
        self.key = key
        n = tokens["attempted"]
        uncached = tokens["prompt"] - tokens["cached"] - tokens["cache_write"]
        total = (uncached * prices["usd_per_million_input_tokens"] + tokens["cached"] * prices["usd_per_million_cached_input_tokens"]
                 + tokens["cache_write"] * prices["usd_per_million_cache_write_input_tokens"]
                 + tokens["completion"] * prices["usd_per_million_output_tokens"]) / MILLION
        self.list_total = total
        self.attempted = n
        self.successes = tokens["successes"]
        self.factor = factor
        self.list_per_request = total / n if n else None
        self.paid_per_success = total / self.successes * factor if self.successes and factor is not None else None

    def monthly(self, requests):
        """requests × mean list cost per attempted request × USD paid per listed USD."""
        return requests * self.list_per_request * self.factor


class Report:
    def __init__(self, quiet):
        self.rows = []
        self.quiet = quiet

    def compare(self, what, mine, bench, exact_cents=True):
        """A money figure: equal to the cent (both rounded half up to cents; Bench's JSON is rounded to 10 decimals)."""
        if mine is None or bench is None:
            ok = mine is None and bench is None
        elif exact_cents:
            ok = cents(mine) == cents(bench)
        else:
            ok = Fraction(mine) == Fraction(bench)
        self.rows.append((what, "–" if mine is None else str(cents(mine)), "–" if bench is None else str(cents(bench)), ok))
        return ok

    def fact(self, what, ok, mine="", bench=""):
        self.rows.append((what, mine, bench, ok))
        return ok

    def print(self):
        bad = [r for r in self.rows if not r[3]]
        width = min(max((len(r[0]) for r in self.rows), default=10), 90)
        if not self.quiet:
            print(f"{'figure':<{width}}  {'recomputed':>26}  {'Bench':>26}  ok")
            for what, mine, bench, ok in self.rows:
                print(f"{what[:width]:<{width}}  {str(mine)[:26]:>26}  {str(bench)[:26]:>26}  {'ok' if ok else 'MISMATCH'}")
        sys.stdout.flush()
        for what, mine, bench, _ in bad:
            print(f"MISMATCH: {what}: recomputed {mine}, Bench {bench}", file=sys.stderr)
        sys.stderr.flush()
        print(f"budget-check: {len(self.rows) - len(bad)} of {len(self.rows)} figures agree")
        return 1 if bad else 0


def option_key(o):
    return cell_key(o.get("target"), o["model"], o["mode"], o.get("policy"))


def check(folder, quiet=False, overrides=None):
    run = read_json(os.path.join(folder, "run.json"))
    settings = dict(run.get("report") or {})
    for name, value in (overrides or {}).items():
        if value is not None:
            settings[name] = value
            if name == "monthly_requests":
                settings["monthly_requests_given"] = True
    run["report"] = settings
    summary = read_json(os.path.join(folder, "summary.json"))
    tokens = read_records(os.path.join(folder, "records.jsonl"))
    out = Report(quiet)

    plan = summary.get("plan")
    classes = classes_of(run)
    if not classes:
        out.fact("no traffic class in run.json's scenario: no plan expected", plan is None, "none", "plan" if plan else "none")
        return out, None
    if plan is None:
        out.fact("summary.json has a plan block (run.json's scenario has SLO sets)", False, "plan", "none")
        return out, None

    report_settings = run.get("report") or {}
    fx = [Fx(t) for t in report_settings.get("fx") or []]
    factors = billing_factors(run)
    by_cell = {}
    for c in summary["cells"]:
        key = cell_key(c.get("target"), c["model"], c["mode"], c.get("policy"))
        by_cell[key] = c
        mine = tokens.get(key)
        stated = c.get("billed_tokens") or {}
        ok = mine is not None and mine["attempted"] == c["requests"] and mine["successes"] == c["successes"] and all(
            mine[k] == stated.get(f"{j}_tokens", 0) for k, j in (("prompt", "prompt"), ("cached", "cached"), ("completion", "completion"), ("cache_write", "cache_write")))
        out.fact(f"{key_text(key)}: requests, successes, billed tokens from records.jsonl", ok,
                 "–" if mine is None else f"{mine['attempted']}/{mine['successes']} {mine['prompt']}+{mine['completion']}",
                 f"{c['requests']}/{c['successes']} {stated.get('prompt_tokens')}+{stated.get('completion_tokens')}")

    def priced(key):
        cell = by_cell.get(key)
        prices = (cell or {}).get("cost", {}).get("prices")
        if cell is None or key not in tokens or not prices:
            return None
        return Priced(key, tokens[key], {k: dec(v) for k, v in prices.items()}, factors.get(key[0], Fraction(1)))

    volume, plan_volume, partitioned = volumes(classes, report_settings)
    out.compare("plan: monthly requests", plan_volume, dec(plan["monthly_requests"]))
    out.fact("plan: reader's currency (first --fx)", (fx[0].label if fx else "USD") == plan.get("currency"), fx[0].label if fx else "USD", plan.get("currency"))
    out.fact("plan: --current", (report_settings.get("current") or None) == plan.get("current"), report_settings.get("current") or "none", plan.get("current") or "none")
    current = parse_current(report_settings.get("current"), fx)
    current_key = match_current(current, list(by_cell)) if current and current[0] == "cell" else None
    if current and current[0] == "cell":
        out.fact(f"--current {report_settings.get('current')} names one measured cell", current_key is not None, key_text(current_key) if current_key else "none")

    figures = {"classes": {}}
    by_name = {c["name"]: c for c in plan["classes"]}
    for name, share, own, turnaround_h in classes:
        bc = by_name.get(name)
        if bc is None:
            out.fact(f"{name}: a class in summary.json's plan", False)
            continue
        v = volume[name]
        out.compare(f"{name}: monthly requests", v, dec(bc["monthly_requests"]))
        options = [priced(option_key(o)) for o in bc["options"]]
        for o, p in zip(bc["options"], options):
            label = f"{name}: {key_text(option_key(o))} monthly USD"
            if p is None:
                out.fact(label + " (cell priced in summary.json and measured in records)", False)
                continue
            out.compare(label, p.monthly(v), dec(o["monthly_usd"]))
            if o["mode"] == "batch-api" and turnaround_h is None:
                out.fact(f"{name}: batch-api option {key_text(p.key)} in a class without max_turnaround_h (common brief: a candidate only where the class tolerates hours)", False,
                         "not a candidate", "listed")
        options = [p for p in options if p is not None]
        monthly = [p.monthly(v) for p in options]
        out.fact(f"{name}: options cheapest a month first", monthly == sorted(monthly))
        ranked = sorted(options, key=lambda p: p.paid_per_success)
        choice = ranked[0] if ranked else None
        runner = ranked[1] if len(ranked) > 1 else None
        tie = any("cost the same per successful request" in n for n in bc.get("notes") or [])
        bench_choice = option_key(bc["choice"]) if bc.get("choice") else None
        bench_runner = option_key(bc["runner_up"]) if bc.get("runner_up") else None
        if tie and choice and runner and {choice.key, runner.key} == {bench_choice, bench_runner}:
            choice, runner = (choice, runner) if bench_choice == choice.key else (runner, choice)
        out.fact(f"{name}: choice (cheapest paid per success{', a tie said in the notes' if tie else ''})",
                 (choice.key if choice else None) == bench_choice, key_text(choice.key) if choice else "none", key_text(bench_choice) if bench_choice else "none")
        out.fact(f"{name}: runner-up", (runner.key if runner else None) == bench_runner, key_text(runner.key) if runner else "none",
                 key_text(bench_runner) if bench_runner else "none")
        cur = priced(current_key) if current_key else None
        c_fig = {"choice": choice.monthly(v) if choice else None, "runner": runner.monthly(v) if runner else None,
                 "current": cur.monthly(v) if cur else None}
        c_fig["vs_runner"] = c_fig["runner"] - c_fig["choice"] if choice and runner else None
        c_fig["vs_current"] = c_fig["current"] - c_fig["choice"] if choice and cur else None
        out.compare(f"{name}: choice monthly USD", c_fig["choice"], dec((bc.get("choice") or {}).get("monthly_usd")))
        out.compare(f"{name}: runner-up monthly USD", c_fig["runner"], dec((bc.get("runner_up") or {}).get("monthly_usd")))
        out.compare(f"{name}: current monthly USD", c_fig["current"], dec((bc.get("current") or {}).get("monthly_usd")))
        out.compare(f"{name}: saving vs runner-up USD", c_fig["vs_runner"], dec(bc.get("saving_vs_runner_up_usd")))
        out.compare(f"{name}: saving vs current USD", c_fig["vs_current"], dec(bc.get("saving_vs_current_usd")))
        # A note's amount ("X would cost 1,234.56 USD a month, less than the choice, …"): a cell not shown to meet the
        # class, priced at the class's volume like any option.
        for note in bc.get("notes") or []:
            m = NOTE_AMOUNT.match(note)
            if not m:
                # A money figure in a note this script cannot read would go unchecked: say so instead.
                if re.search(r"\d\.\d\d (?:USD|[A-Z]{3})\b|USD \d", note):
                    out.fact(f"{name}: a note's amount in a form this check reads", False, "X would cost N USD a month", note[:60])
                continue
            key = next((k for k in by_cell if key_text(k) == m.group("cell")), None)
            p = priced(key) if key else None
            out.compare(f"{name}: note: {m.group('cell')} would cost", p.monthly(v) if p else None, dec(m.group("usd").replace(",", "")))
        figures["classes"][name] = c_fig

    choices = [figures["classes"].get(n, {}).get("choice") for n, *_ in classes]
    total = sum(choices) if partitioned and choices and all(c is not None for c in choices) else None
    if current and current[0] == "spend":
        current_total = current[1]
    else:
        currents = [figures["classes"].get(n, {}).get("current") for n, *_ in classes]
        current_total = sum(currents) if total is not None and currents and all(c is not None for c in currents) else None
    saving = current_total - total if total is not None and current_total is not None else None
    percent = saving / current_total * 100 if saving is not None and current_total > 0 else None
    break_even = None
    if current and current[0] == "spend" and total and total > 0 and current[1] and current[1] > 0:
        break_even = current[1] * plan_volume / total
    out.compare("plan: total USD", total, dec(plan.get("total_usd")))
    out.compare("plan: current USD", current_total, dec(plan.get("current_usd")))
    out.compare("plan: saving USD", saving, dec(plan.get("saving_usd")))
    out.fact("plan: saving percent (to 0.01 point)", (percent is None and plan.get("saving_percent") is None)
             or (percent is not None and plan.get("saving_percent") is not None and abs(percent - dec(plan["saving_percent"])) < Fraction(1, 100)),
             "–" if percent is None else f"{float(percent):.4f}", plan.get("saving_percent"))
    out.compare("plan: break-even monthly requests", break_even, dec(plan.get("break_even_monthly_requests")))
    sim = simulated_targets(run, tokens)
    out.fact("plan: simulated targets", sorted(sim) == sorted(plan.get("simulated_targets") or []), ",".join(sim), ",".join(plan.get("simulated_targets") or []))
    figures.update(total=total, current=current_total, saving=saving, percent=percent, break_even=break_even, fx=fx, simulated=sim,
                   current_spend=current[0] == "spend" if current else False)
    return out, figures


# ----- report.md ---------------------------------------------------------------------------------------------------

AMOUNT = r"(?:[¥€£$]|[A-Z]{3} )−?[\d,]+\.\d\d(?: \(USD −?[\d,]+\.\d\d\))?"


def section(markdown, title):
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    return m.group(1) if m else None


def check_markdown(folder, figures, out):
    path = os.path.join(folder, "report.md")
    with open(path, encoding="utf-8") as f:
        markdown = f.read()
    first = re.search(r"^## (.+)$", markdown, re.M)
    out.fact("report.md: the executive summary is the first section", bool(first) and first.group(1).strip() == "Executive summary",
             "Executive summary", first.group(1).strip() if first else "none")
    text = section(markdown, "Executive summary")
    if text is None:
        return
    fx = figures["fx"]

    def expect(what, usd, linked):
        if usd is None:
            return
        shown = amount_text(usd, fx)
        pattern = f"[{shown}](#budget-plan)" if linked else shown
        out.fact(f"report.md: {what} {'linked to #budget-plan' if linked else ''}".rstrip(), pattern in text, pattern, "found" if pattern in text else "absent")

    for name, c in figures["classes"].items():
        block = re.search(rf"For \*\*{re.escape(name)}\*\* .*?(?=\nFor \*\*|\n\*\*The plan as one budget|\Z)", text, re.S)
        if block is None:
            out.fact(f"report.md: a sentence for class {name}", False)
            continue
        b = block.group(0)

        def expect_in(what, usd, linked, b=b, name=name):
            if usd is None:
                return
            shown = amount_text(abs(usd), fx)
            pattern = f"[{shown}](#budget-plan)" if linked else f"**{shown}**" if cents(usd) != 0 else "the same cost"
            out.fact(f"report.md {name}: {what}", pattern in b, pattern, "found" if pattern in b else "absent")

        expect_in("choice a month", c["choice"], True)
        if c["current"] is not None and c["vs_current"] is not None and c["choice"] != c["current"]:
            expect_in("current a month", c["current"], True)
            expect_in("saving vs current", c["vs_current"], False)
        if c["runner"] is not None:
            expect_in("runner-up a month", c["runner"], True)
            expect_in("saving vs runner-up", c["vs_runner"], False)
    if figures["total"] is not None:
        expect("plan total", figures["total"], True)
        if figures["current"] is not None:
            expect("current setup", figures["current"], not figures["current_spend"])
            if figures["saving"]:
                shown = f"**{amount_text(abs(figures['saving']), fx)}**"
                out.fact("report.md: plan saving", shown in text, shown, "found" if shown in text else "absent")
            if figures["percent"] is not None:
                shown = f"{cents(abs(figures['percent']) / 10) * 10:.1f} %"
                out.fact("report.md: plan saving percent", shown in text, shown, "found" if shown in text else "absent")
    if figures["break_even"] is not None:
        shown = f"{cents(figures['break_even'] / 100) * 100:,.0f} requests a month"
        out.fact("report.md: break-even volume", shown in text, shown, "found" if shown in text else "absent")

    # Every amount in the executive summary links to the table it comes from, except the savings (bold: the difference
    # of the two linked amounts beside them) and a flat current spend and its break-even amount (given on the command
    # line, not read from a table).
    spend = amount_text(figures["current"], fx) if figures["current_spend"] and figures["current"] is not None else None
    unlinked = [m.group(0) for m in re.finditer(AMOUNT, text) if text[max(0, m.start() - 1):m.start()] != "["
                and text[max(0, m.start() - 2):m.start()] != "**" and m.group(0) != spend]
    out.fact("report.md: no unlinked, unbolded amount in the executive summary", not unlinked, "", "; ".join(unlinked[:3]))
    # Every link of the executive summary resolves in report.md itself: an explicit anchor (<a id="…">) or a heading's
    # slug as Markdown renderers make it (GitHub: lower case, punctuation dropped, spaces to hyphens).
    anchors = set(re.findall(r'<a (?:id|name)="([^"]+)"', markdown))
    anchors |= {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", markdown, re.M)}
    for target in sorted(set(re.findall(r"\]\(#([^)]+)\)", text))):
        out.fact(f"report.md: the executive summary's link #{target} resolves in report.md", target in anchors, "#" + target,
                 "resolves" if target in anchors else "no such anchor or heading")
    if figures["simulated"]:
        for title in ("Executive summary", "Summary", "Recommendation", "Budget plan: every option per traffic class"):
            body = section(markdown, title)
            if body is not None:
                out.fact(f"report.md: simulated banner first in '{title}'", body.lstrip().startswith(f"> **{BANNER}**"), "banner", body.lstrip()[:40])
    else:
        out.fact("report.md: no simulated banner (no simulator target)", BANNER not in markdown)


def quantity(text):
    """A count as bench reads it (TokenQuantity): digits with an optional k, M, B or T suffix, any case, commas allowed."""
    text = text.strip().replace(",", "")
    scale = {"k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}.get(text[-1:].lower())
    return Fraction(Decimal(text[:-1] if scale else text)) * (scale or 1)


def main(argv):
    parser = argparse.ArgumentParser(description="Recompute the budget plan of a Bench results folder from its records.")
    parser.add_argument("folder")
    parser.add_argument("--monthly-requests", dest="monthly_requests", type=quantity)
    parser.add_argument("--fx", action="append")
    parser.add_argument("--current")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv[1:])
    folder, quiet = args.folder, args.quiet
    overrides = {"monthly_requests": args.monthly_requests, "fx": args.fx, "current": args.current}
    for name in ("run.json", "summary.json", "records.jsonl", "report.md"):
        if not os.path.isfile(os.path.join(folder, name)):
            print(f"budget-check: {folder}: no {name}", file=sys.stderr)
            return 2
    out, figures = check(folder, quiet, overrides)
    if figures is not None:
        check_markdown(folder, figures, out)
    return out.print()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
