#!/usr/bin/env bash
# Builds the web UI into web/dist (npm packages from the lock file).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Some npm versions record platform-specific optional packages (rollup's) incompletely and
  # then refuse `npm ci`; `npm install` follows the same lock file and completes it.
  npm ci --no-audit --no-fund --loglevel=silent || npm install --no-audit --no-fund --loglevel=error
fi
npm run build --silent
