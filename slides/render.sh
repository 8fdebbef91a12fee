#!/usr/bin/env bash
# Renders the deck to slides/dist/ (HTML and PDF, with --pptx also PowerPoint, with --png every
# slide as an image) and checks in headless Chromium that no slide overflows its frame.
# Installs nothing. Needs Node.js 18+, `npm ci` run once in slides/, and Chromium or Chrome
# (CHROME_PATH, or /usr/bin/chromium; on Debian: apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "Node.js is not installed; see slides/README.md." >&2; exit 2; }
[ -d node_modules/@marp-team/marp-cli ] || { echo "Run 'npm ci' in slides/ first (once, online)." >&2; exit 2; }
exec node tools/render.mjs "$@"
