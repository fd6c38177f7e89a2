#!/usr/bin/env bash
# The main job: install, build the server, create the demo database on first run, and serve.
# The server honours RADQS_PORT, RADQS_ADDRESS and the other RADQS_* settings (README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh run
bash scripts/web.sh
cmake --preset release >/dev/null
# Only the server (and the libraries it links): the test binaries are scripts/test.sh's job.
cmake --build --preset release -j"$(nproc)" --target radqs
export RADQS_DATABASE=${RADQS_DATABASE:-var/radqs.db}
mkdir -p "$(dirname "$RADQS_DATABASE")"
if [ ! -f "$RADQS_DATABASE" ]; then
  ./build/release/radqs init --demo medium
fi
cat <<'TXT'

RadQS 放射科医疗质量与安全管理系统 — open the address on the "RadQS listening on" line below.
Demo logins (password Radqs2026):
  admin      系统管理员 admin              director   科主任 director
  qc         质控员 qc_officer             doctor     诊断医师 radiologist
  tech       技师 technologist             nurse      护士 nurse
  engineer   设备工程师 engineer           safety     辐射防护员 safety_officer
  clinician  临床医师 clinician            hqc        医务科 hospital_qc
  inspector  质控检查员 inspector          trainee    进修/实习 trainee
Stop with Ctrl-C.

TXT
exec ./build/release/radqs serve
