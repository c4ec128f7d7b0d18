#!/usr/bin/env bash
# Browser tests and slide decks: Debian's chromium (driven by Playwright, never a downloaded
# browser) and the npm packages the decks copy (slides/package-lock.json: reveal.js 4,
# require.js, MathJax 2). Idempotent; returns at once when everything is in place.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# 1. Debian packages: chromium, and an emoji font so screenshots show the course's pictograms.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q "ok installed" \
  || missing+=(fonts-noto-color-emoji)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installation de : ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "Absents (installez-les avec apt-get en root) : ${missing[*]}" >&2
  fi
fi

# 2. npm packages of the decks, exactly as locked (npm ci), only when missing or stale.
slides="$root/slides"
stamp="$slides/node_modules/.package-lock.json"
if [ -f "$slides/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if [ ! -f "$stamp" ] || [ "$slides/package-lock.json" -nt "$stamp" ] \
     || [ ! -f "$slides/node_modules/reveal.js/dist/reveal.js" ]; then
    echo "Installation des fichiers des diaporamas (npm ci dans slides/)"
    npm ci --prefix "$slides" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

# 3. axe-core for the accessibility tests (tests/browser/test_browser_a11y.py), as locked.
a11y="$root/tools/a11y"
if [ -f "$a11y/package-lock.json" ] && command -v npm >/dev/null 2>&1; then
  if [ ! -f "$a11y/node_modules/axe-core/axe.min.js" ] \
     || [ "$a11y/package-lock.json" -nt "$a11y/node_modules/.package-lock.json" ]; then
    echo "Installation d'axe-core (npm ci dans tools/a11y/)"
    npm ci --prefix "$a11y" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
