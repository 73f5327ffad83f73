#!/usr/bin/env bash
# Install what the browser tests (tests/browser) need outside Python: Debian's Chromium at
# /usr/bin/chromium. Playwright drives it (pip, requirements-test.txt); Playwright's own browser
# download is never used. Called by `make browser-deps` (and so by `make test`); does nothing when
# Chromium is already there. Needs root or sudo on a Debian/Ubuntu machine.
set -euo pipefail
CHROMIUM="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser.sh: $CHROMIUM is missing and this is not a Debian-like system;" >&2
  echo "install Chromium and set PORTAL_CHROMIUM to its path." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install_browser.sh: run as root (or with sudo) to install Chromium: apt-get install chromium" >&2
    exit 1
  fi
fi
echo "Installing Chromium from the Debian packages (for the browser tests) ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "install_browser.sh: Chromium still missing at $CHROMIUM" >&2; exit 1; }
