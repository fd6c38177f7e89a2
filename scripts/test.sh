#!/usr/bin/env bash
# Every test: builds the debug preset (ASan + UBSan) and runs CTest — unit, store, api and e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
echo "node $(node --version), npm $(npm --version) (a fresh Debian 12 gets node v18.20.4, npm 9.2.0)"
bash scripts/web.sh
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
cmake --preset debug >/dev/null
cmake --build --preset debug -j"$(nproc)"
ctest --preset debug -j2
