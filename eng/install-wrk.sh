#!/usr/bin/env bash
# Installs wrk (HTTP load generator) from Debian's package, for `bench selftest --install-tools`.
# Idempotent: does nothing when wrk is already on PATH. Needs root, or sudo without a password (sudo -n).
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  echo "wrk already installed: $(command -v wrk)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  run() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run() { sudo -n "$@"; }
else
  echo "install-wrk: need root or passwordless sudo to run apt-get install wrk" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-wrk: apt-get not found (this script installs Debian's wrk package)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! run apt-get install -y --no-install-recommends wrk; then
  run apt-get update
  run apt-get install -y --no-install-recommends wrk
fi

command -v wrk >/dev/null 2>&1 || { echo "install-wrk: wrk still not on PATH after install" >&2; exit 1; }
echo "wrk installed: $(command -v wrk)"
