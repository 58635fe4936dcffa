#!/usr/bin/env bash
# Installs the headless browser the report's browser tests drive (Debian's chromium; see
# ../../shared/design/ENVIRONMENT.md, "browser tests"). Playwright's own browser download is never used.
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
