#!/usr/bin/env bash
# Compilers llama-cpp-python needs to build llama.cpp (the `local` extra): gcc, g++, cmake.
# Installs them only when missing, and only where apt-get and root are available.
set -euo pipefail
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(build-essential)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installation des compilateurs pour llama.cpp : ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Il manque ${missing[*]} pour compiler llama.cpp : installez-les (sudo apt-get install" \
       "build-essential cmake), puis relancez." >&2
  exit 1
fi
