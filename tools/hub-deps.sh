#!/usr/bin/env bash
# Workshop hub dependencies beyond Python (called by tools/system-deps.sh; idempotent, quick when done):
#   1. configurable-http-proxy from the npm registry, locally under deploy/jupyterhub/node_modules
#      (version pinned in deploy/jupyterhub/package.json and package-lock.json);
#   2. an interpreter that participants' system accounts may run. The hub starts each
#      participant's server under their own account; when the venv's interpreter lives in a
#      folder they cannot enter (e.g. pyenv under /root, 0700), a Debian python3.X of the same
#      minor version is linked into the venv as bin/python-participant: it uses the venv's
#      packages (same ABI, pyvenv.cfg next to it) without opening /root to anybody.
# Python packages (jupyterhub) come with pip (dev extras), not from here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
hubdir="$root/deploy/jupyterhub"
venv="${VENV:-$root/.venv}"

# 1. configurable-http-proxy
if [ ! -x "$hubdir/node_modules/.bin/configurable-http-proxy" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installation de configurable-http-proxy (npm) dans deploy/jupyterhub/node_modules"
    if [ -f "$hubdir/package-lock.json" ]; then
      (cd "$hubdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
        echo "Échec de l'installation de configurable-http-proxy (tests du hub ignorés)" >&2
    else
      (cd "$hubdir" && npm install --no-audit --no-fund --loglevel=error >/dev/null) ||
        echo "Échec de l'installation de configurable-http-proxy (tests du hub ignorés)" >&2
    fi
  else
    echo "npm absent : configurable-http-proxy non installé (tests du hub ignorés)" >&2
  fi
fi

# 2. an interpreter reachable by unprivileged accounts
py="$venv/bin/python"
[ -e "$py" ] || exit 0
link="$venv/bin/python-participant"
real="$(readlink -f "$py")"
reachable=yes
d="$real"
while [ "$d" != "/" ]; do
  d="$(dirname "$d")"
  perm="$(stat -c %A "$d")"
  [ "${perm:9:1}" = "x" ] || [ "${perm:9:1}" = "t" ] || { reachable=no; break; }
done
if [ "$reachable" = yes ]; then
  rm -f "$link"
  exit 0
fi
ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
system_py="/usr/bin/python$ver"
if [ ! -x "$system_py" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installation de python$ver (Debian) pour les comptes des participants"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "python$ver" >/dev/null; } ||
    echo "python$ver indisponible dans les paquets Debian (tests du hub ignorés)" >&2
fi
if [ -x "$system_py" ]; then
  [ "$(readlink "$link" 2>/dev/null)" = "$system_py" ] || ln -sfn "$system_py" "$link"
else
  echo "Aucun python$ver accessible aux participants (tests du hub ignorés)" >&2
fi
