#!/usr/bin/env bash
# The exam benchmark on SQLite and on PostgreSQL in one run, on the same generated data
# (issue 15): the SQLite database of bench/exam_bench.sh, copied with `radqs copy-to` into a
# throw-away PostgreSQL cluster (tests/postgres/cluster.sh, Unix socket only, durable commits).
#   bash bench/backends_bench.sh [seconds=10] [size=large]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
size=${2:-large}
work=${RADQS_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
chmod 755 "$work"  # the cluster runs as the postgres user
export RADQS_BENCH_DIR=$work
echo "== SQLite"
bash bench/exam_bench.sh "$seconds" "$size"
cluster=$work/postgres
trap 'bash tests/postgres/cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
bash tests/postgres/cluster.sh start "$cluster" >/dev/null
server="host=$cluster port=5432 user=postgres"
psql "$server dbname=postgres" -qXc "CREATE DATABASE radqs_bench TEMPLATE template0 ENCODING 'UTF8'"
start=$(date +%s)
RADQS_DATABASE=$work/exams-$size.db ./build/release/radqs copy-to "$server dbname=radqs_bench" | tail -1
echo "copied in $(($(date +%s) - start)) s"
psql "$server dbname=radqs_bench" -qXc "VACUUM ANALYZE"
echo "== PostgreSQL 15 (same data)"
# Its own anchor file: the copy's chain goes on apart from the SQLite file's.
RADQS_DATABASE_URL="$server dbname=radqs_bench" RADQS_AUDIT_ANCHOR_FILE=$work/postgres-anchors.jsonl \
  bash bench/exam_bench.sh "$seconds" "$size"
