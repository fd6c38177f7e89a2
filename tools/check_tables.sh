#!/usr/bin/env bash
# Checks table ownership (docs/tables.md): a module's SQL names only its own tables, route files
# run no SQL, and every table a migration creates has an owner.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
owners=$(sed -nE 's/^\| `([a-z_]+)` \| ([a-z]+) \|.*/\1 \2/p' "$root/docs/tables.md")
bad=0
report() { echo "tables: $1"; bad=1; }

for t in $(sed -nE 's/^CREATE TABLE (IF NOT EXISTS )?([a-z_]+).*/\2/p' "$root"/db/migrations/*/*.sql | sort -u); do
  grep -q "^$t " <<<"$owners" || report "table $t (created by a migration) has no owner in docs/tables.md"
done

while IFS= read -r file; do
  rel=${file#"$root/src/"}
  module=${rel%%/*}
  case "$module" in main | demo) continue ;; esac
  if [[ $rel == *_routes.cpp ]] && grep -nE '\.(Prepare|Exec)\(|SqlBuilder' "$file" >/dev/null; then
    report "$rel runs SQL; move it into the module's store"
  fi
  while read -r table; do
    owner=$(awk -v t="$table" '$1 == t {print $2}' <<<"$owners")
    [ -n "$owner" ] && [ "$owner" != "$module" ] && report "$rel names $table, a table of $owner"
  done < <(grep -oE '\b(FROM|JOIN|INTO|UPDATE|TABLE)[[:space:]]+[a-z_]+' "$file" | awk '{print $2}' | sort -u)
done < <(find "$root/src" \( -name '*.cpp' -o -name '*.h' \) ! -name '*_test.cpp')

if [ $bad -eq 0 ]; then echo "tables: every table is read and written by its owner only"; fi
exit $bad
