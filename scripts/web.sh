#!/usr/bin/env bash
# Builds the web UI into web/dist (npm packages exactly as in the committed lock file).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` never rewrites the lock file; when it fails, the lock is wrong: fix and commit it.
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
