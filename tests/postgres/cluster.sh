#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: Unix socket only (no TCP listener), in DIR.
#   cluster.sh start DIR   initdb (as the postgres user when run as root) and start
#   cluster.sh stop DIR    stop and remove DIR
# Tests reach it with the libpq connection string "host=DIR port=5432 user=postgres".
set -euo pipefail
action=$1
dir=$2
bin=$(pg_config --bindir)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi
case "$action" in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log"; exit 1; }
    # Durable commits as in service (fsync and synchronous_commit stay on).
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300 -c shared_buffers=128MB" \
      start >/dev/null || { cat "$dir/server.log"; exit 1; }
    echo "postgresql: host=$dir port=5432 user=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
