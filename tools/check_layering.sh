#!/usr/bin/env bash
# Checks every #include against the allowed dependencies (architecture.md "Layout"):
#   core      <- nothing but the standard library
#   platform  <- core; third-party headers live here (and in dicom/, hl7/, export/)
#   modules   <- core, platform, and other modules only through their public headers
#                (never another module's *_store.h / *_routes.h / *_internal.h)
#   main      <- the composition root: anything
# fmt is allowed everywhere above core (it stands in for C++20 <format>, absent in GCC 12);
# GoogleTest only in *_test.cpp.
set -uo pipefail
src="$(dirname "$0")/../src"
third_party='^(boost|nlohmann|sqlite3|SQLiteCpp|sodium|toml\+\+|CLI|spdlog|dcmtk|pqxx|xlsxwriter|cairo|pango)'
bad=0
report() { echo "layering: $1"; bad=1; }

while IFS= read -r file; do
  rel=${file#"$src/"}
  module=${rel%%/*}
  while IFS= read -r line; do
    inc=$(sed -E 's/^#include[[:space:]]*[<"]([^">]+)[">].*/\1/' <<<"$line")
    case "$module" in
      main) continue ;;
      core)
        [[ $inc == core/* ]] && continue
        [[ $line == *'"'* ]] && report "$rel includes $inc (core depends on nothing)"
        [[ $inc =~ / && $inc != gtest/* ]] && report "$rel includes $inc (core depends on nothing)"
        [[ $inc =~ $third_party || $inc == fmt/* ]] && report "$rel includes $inc (core depends on nothing)"
        ;;
      platform|dicom|hl7|export) [[ $inc == core/* || $inc == platform/* || $inc == $module/* ]] && continue
        [[ $line == *'"'* ]] && report "$rel includes $inc (only core and platform below $module)"
        ;;
      *)
        if [[ $inc =~ $third_party ]]; then report "$rel includes third-party $inc"; continue; fi
        if [[ $inc == gtest/* || $inc == gmock/* ]] && [[ $rel != *_test.cpp ]]; then
          report "$rel includes $inc outside a test"; continue
        fi
        if [[ $line == *'"'* ]]; then
          other=${inc%%/*}
          [[ $other == core || $other == platform || $other == "$module" ]] && continue
          [[ $inc =~ _(store|routes|internal)\.h$ ]] && report "$rel reaches into $inc"
          [[ $other == main ]] && report "$rel includes the composition root ($inc)"
        fi
        ;;
    esac
  done < <(grep -E '^#include' "$file")
done < <(find "$src" -name '*.h' -o -name '*.cpp')

if [ $bad -eq 0 ]; then echo "layering: all includes follow the dependency table"; fi
exit $bad
