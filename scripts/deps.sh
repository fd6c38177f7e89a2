#!/usr/bin/env bash
# Installs what RadQS needs from Debian's packages, only what is missing (idempotent).
#   scripts/deps.sh run    build and run the server
#   scripts/deps.sh test   also the test peers (Chromium for the browser tests)
#   scripts/deps.sh bench  also wrk
set -euo pipefail
purpose=${1:-run}
packages=(build-essential cmake pkg-config git unicode-data bzip2 libboost-dev libsqlitecpp-dev libsqlite3-dev
  libsodium-dev libssl-dev nlohmann-json3-dev libfmt-dev libcli11-dev libtomlplusplus-dev libgtest-dev
  libgmock-dev libxlsxwriter-dev zlib1g-dev libpqxx-dev sqlite3 ca-certificates)
case "$purpose" in
  test) packages+=(chromium fonts-noto-cjk clang libclang-rt-14-dev postgresql) ;;
  bench) packages+=(wrk libbenchmark-dev) ;;
esac
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
