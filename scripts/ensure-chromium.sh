#!/usr/bin/env bash
# The browser tests (tests/browser/) drive Debian's Chromium through Playwright: Playwright's own browser
# download is not reachable from these machines, so never `playwright install`; the system package is used.
set -euo pipefail
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
