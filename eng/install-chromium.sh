#!/usr/bin/env bash
# Installs the headless browser the report's browser test drives (tests/Bench.Report.Tests/Html/ReportBrowserTests.cs)
# and `bench report DIR --pdf` / `bench run --pdf` print report.pdf with (src/Bench.Report/Pdf; BENCH_CHROMIUM overrides):
# Debian's chromium package, launched by Microsoft.Playwright with ExecutablePath=/usr/bin/chromium. Playwright's own
# browser download (`playwright install`) is never used. The test project's build runs this script (MSBuild target
# EnsureChromium) when /usr/bin/chromium is missing.
# Idempotent: exits 0 at once when /usr/bin/chromium exists. Needs root (or passwordless sudo) otherwise.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  run_as_root=()
elif command -v sudo >/dev/null 2>&1; then
  run_as_root=(sudo -n)
else
  echo "install-chromium: /usr/bin/chromium is missing and this user is not root; run: apt-get install -y chromium" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update
"${run_as_root[@]}" apt-get install -y --no-install-recommends chromium

if [ ! -x /usr/bin/chromium ]; then
  echo "install-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
