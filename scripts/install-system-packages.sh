#!/usr/bin/env bash
# Install the Debian packages uppsikt needs (system-packages.txt beside this script, or the packages
# given as arguments) with apt-get. Does nothing when all are installed; where it cannot install
# (not root and no sudo, or no apt-get) it stops with the exact command to run instead.
# Used by `make run`, `make test` (and so CI) and the container image alike.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_MAJOR_MIN=20

if [ "$#" -gt 0 ]; then
  wanted=("$@")
else
  mapfile -t wanted < <(grep -v '^[[:space:]]*\(#\|$\)' "$here/system-packages.txt")
fi

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  [ "$major" -ge "$NODE_MAJOR_MIN" ]
}

fail() {
  echo "uppsikt: $*" >&2
  exit 1
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian: the packages cannot be checked or installed here; say what is needed.
  chromium="${UPPSIKT_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] || fail "Chromium saknas ($chromium) och apt-get finns inte här. Installera Chromium" \
    "och typsnitten DejaVu och Liberation med systemets pakethanterare, eller sätt UPPSIKT_CHROMIUM."
  node_ok || fail "Node $NODE_MAJOR_MIN eller senare med npm krävs. Installera det med systemets pakethanterare."
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  installed "$package" || missing+=("$package")
done
# Debian 13 ships Node 20; older releases need Node from elsewhere (checked again below).
if [ "$#" -eq 0 ] && ! node_ok; then
  for package in nodejs npm; do installed "$package" || missing+=("$package"); done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  command_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  elif command -v sudo >/dev/null 2>&1; then
    fail "systempaket saknas: ${missing[*]}. Kör: sudo sh -c '$command_line' och sedan samma kommando igen."
  else
    fail "systempaket saknas: ${missing[*]}. Kör som root: $command_line och sedan samma kommando igen."
  fi
  echo "uppsikt: installerar systempaket: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$#" -eq 0 ] && ! node_ok; then
  fail "Node $NODE_MAJOR_MIN eller senare med npm krävs (hittade: $(node --version 2>/dev/null || echo ingen))." \
    "Debian 12:s nodejs är för gammal: installera Node $NODE_MAJOR_MIN, t.ex. från Debian 13 eller nodejs.org."
fi
