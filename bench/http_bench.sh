#!/usr/bin/env bash
# HTTP benchmark: an authenticated read route against the bare /healthz in the same run.
# Target (issue 2): the authenticated route keeps >= 60 % of /healthz throughput, p99 < 10 ms,
# at 64 connections. Read auditing is on (the staff record view is audited).
#   bash bench/http_bench.sh [seconds=10] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-64}
bash scripts/deps.sh bench
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target radqs >/dev/null
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export RADQS_DATABASE=$work/bench.db RADQS_PORT=0 RADQS_WEB_ROOT=web/dist
./build/release/radqs init --demo medium >/dev/null
./build/release/radqs serve >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
url=$(grep -o 'http://[^/ ]*' "$work/out")
token=$(curl -s -X POST "$url/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"director","password":"Radqs2026"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
staff=$(curl -s "$url/api/v1/staff?limit=1" -H "authorization: Bearer $token" |
  sed -E 's/.*"items":\[\{[^}]*"id":([0-9]+).*/\1/')

run() { # name, path, extra wrk args...
  local name=$1 path=$2
  shift 2
  wrk -t2 -c"$conns" -d2s "$@" "$url$path" >/dev/null  # warm-up: page cache and statement caches
  wrk -t2 -c"$conns" -d"${seconds}s" --latency "$@" "$url$path" >"$work/$name.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  printf '%-34s %12s req/s   p99 %s\n' "$name $path" "$rps" "$p99"
  echo "$rps" >"$work/$name.rps"
}
echo "RadQS HTTP benchmark: wrk -t2 -c$conns -d${seconds}s, $(nproc) cores, release build"
# The reference runs before and after, and their mean is used: the machine's speed drifts.
# The audited route runs last among the API routes: the WAL it grows is checkpointed afterwards.
run healthz /healthz
run sites /api/v1/sites -H "authorization: Bearer $token"
run staff "/api/v1/staff/$staff" -H "authorization: Bearer $token"
run healthz2 /healthz
awk -v a="$(cat "$work/staff.rps")" -v c="$(cat "$work/sites.rps")" \
  -v b1="$(cat "$work/healthz.rps")" -v b2="$(cat "$work/healthz2.rps")" \
  'BEGIN { b = (b1 + b2) / 2; printf "ratio to mean /healthz: staff %.2f   sites %.2f   (target >= 0.60)\n", a / b, c / b }'
errors=$(grep -c '"level":"error"' "$work/err" || true)
echo "server errors logged: $errors"
audit=$(sqlite3 "$RADQS_DATABASE" "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.view'")
echo "read-access audit entries written: $audit"
