#!/usr/bin/env python3
"""Tallies eng/gate-check/run.sh's comparisons: false-alarm and detection rates, and the metrics that were flagged.

usage: tally.py COMPARE_DIR   (reads exits.tsv and each <kind>-<pair>.json that `bench compare --json` wrote)
"""
import collections
import json
import pathlib
import sys


def flagged(path: pathlib.Path) -> list[str]:
    """The (cell, metric) pairs judged Slower in one compare's JSON, whatever nesting it uses."""
    if not path.exists():
        return []
    found = []

    def walk(node, cell=None):
        if isinstance(node, dict):
            verdict = node.get('verdict')
            metric = node.get('metric') or node.get('id')
            here = cell
            if 'model' in node and 'mode' in node:
                here = ' · '.join(str(node[k]) for k in ('model', 'mode', 'policy') if node.get(k))
            if isinstance(verdict, str) and verdict.lower() == 'slower' and metric:
                found.append(f"{here or '?'}: {metric}")
            for value in node.values():
                walk(value, here)
        elif isinstance(node, list):
            for value in node:
                walk(value, cell)

    walk(json.loads(path.read_text()))
    return found


def main() -> int:
    folder = pathlib.Path(sys.argv[1])
    rows = [line.split('\t') for line in (folder / 'exits.tsv').read_text().splitlines() if line]
    by_kind = collections.defaultdict(list)
    for kind, pair, code in rows:
        by_kind[kind].append((pair, int(code)))
    print('| comparison | pairs | exit 0 | exit 1 | other | rate |')
    print('|---|---|---|---|---|---|')
    for kind, results in by_kind.items():
        codes = [c for _, c in results]
        ones, zeros = codes.count(1), codes.count(0)
        other = len(codes) - ones - zeros
        label = 'detection rate' if kind.startswith('slowed') else 'false-alarm rate'
        print(f'| {kind} | {len(codes)} | {zeros} | {ones} | {other} | {label} {ones}/{len(codes)} = {ones / len(codes):.0%} |')
    print()
    for kind, results in by_kind.items():
        counts = collections.Counter()
        for pair, _ in results:
            for item in flagged(folder / f'{kind}-{pair}.json'):
                counts[item.split(': ', 1)[1]] += 1
        if counts:
            print(f'{kind}: metrics judged Slower (times over {len(results)} comparisons): '
                  + ', '.join(f'{m} {n}' for m, n in counts.most_common()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
