#!/usr/bin/env python3
"""Copies simulator profiles with every latency multiplied by FACTOR (1.10 = 10 % slower).

TTFT's mean and p95 (or a fixed TTFT) are multiplied and the decode rate divided by FACTOR, so every request's TTFT,
each inter-token gap and therefore E2E (TTFT + (n - 1) / rate) grow by exactly FACTOR; token counts, faults and
capacity are untouched. Profiles are JSON with comments (the simulator's reader accepts them); comments are dropped.

usage: slow_profiles.py SOURCE_DIR TARGET_DIR FACTOR
"""
import json
import pathlib
import re
import sys


def strip_comments(text: str) -> str:
    # Line comments outside strings: the profiles use `//` comments on their own lines and after values.
    out = []
    for line in text.splitlines():
        in_string = False
        cut = len(line)
        i = 0
        while i < len(line):
            c = line[i]
            if c == '"' and (i == 0 or line[i - 1] != '\\'):
                in_string = not in_string
            elif not in_string and line.startswith('//', i):
                cut = i
                break
            i += 1
        out.append(line[:cut])
    return re.sub(r',(\s*[}\]])', r'\1', '\n'.join(out))


def slow(profile: dict, factor: float) -> dict:
    ttft = profile.get('ttft_ms', {})
    for key in ('mean', 'p95', 'fixed', 'median'):
        if key in ttft:
            ttft[key] = round(ttft[key] * factor, 3)
    if 'decode_tokens_per_s' in profile:
        profile['decode_tokens_per_s'] = round(profile['decode_tokens_per_s'] / factor, 4)
    profile['source'] = f"{profile.get('source', '')} — every latency x{factor} (eng/gate-check/slow_profiles.py)"
    return profile


def main() -> int:
    source, target, factor = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), float(sys.argv[3])
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob('*.json')):
        profile = json.loads(strip_comments(path.read_text()))
        if 'replay' in profile:
            continue  # recorded streams keep their own timing
        (target / path.name).write_text(json.dumps(slow(profile, factor), indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
