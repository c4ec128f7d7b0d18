#!/usr/bin/env bash
# System packages the tests need beyond Python (browser tests: Debian chromium; grading
# sandbox: bubblewrap, whose bwrap isolates every participant kernel; prlimit from util-linux).
# Installs them only when missing, and only where apt-get and root are available;
# elsewhere it says what is missing and the tests that need it are skipped with that reason.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v prlimit >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -eq 0 ]; then
  :
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installation des paquets système manquants : ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "Échec de l'installation de : ${missing[*]} (tests correspondants ignorés)" >&2
  fi
else
  echo "Paquets système absents (tests correspondants ignorés) : ${missing[*]}" >&2
fi

# Further steps owned by the parts that need them (each idempotent and quick when done).
here="$(cd "$(dirname "$0")" && pwd)"
for step in "$here"/browser-deps.sh "$here"/hub-deps.sh "$here"/local-model-deps.sh; do
  if [ -x "$step" ]; then "$step"; fi
done
