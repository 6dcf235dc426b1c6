#!/usr/bin/env bash
# Install the Debian packages uppsikt needs (system-packages.txt beside this script, or the packages
# given as arguments) with apt-get. Does nothing when all are installed; where it cannot install
# (not root and no sudo, or no apt-get) it stops with the exact command to run instead.
# Used by `make run`, `make test` (and so CI) and the container image alike.
#
# --beside (make run): when every missing package is one only printing needs (`utskrift` in
# system-packages.txt; every package given as an argument counts as one), they are installed in the
# background while the pipeline runs, holding the lock file .system-packages.lock in the project folder;
# the printing waits for that lock (orchestration/lib/report/pdf.py) and apt-get's output goes to
# .system-packages.log. Whether it can install at all is still decided at once, before any other work.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
NODE_MAJOR_MIN=20
LOCK="$root/.system-packages.lock"
LOG="$root/.system-packages.log"

beside=false
if [ "${1:-}" = "--beside" ]; then
  beside=true
  shift
fi

if [ "$#" -gt 0 ]; then
  wanted=("$@")
  print_only=("$@")
else
  mapfile -t wanted < <(grep -v '^[[:space:]]*\(#\|$\)' "$here/system-packages.txt" | awk '{print $1}')
  mapfile -t print_only < <(grep -v '^[[:space:]]*#' "$here/system-packages.txt" | awk '$2 == "utskrift" {print $1}')
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

only_for_printing() {
  local package wanted_one
  for package in "$@"; do
    for wanted_one in "${print_only[@]}"; do [ "$package" = "$wanted_one" ] && continue 2; done
    return 1
  done
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian: the packages cannot be checked or installed here; say what is needed.
  chromium="${UPPSIKT_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] || fail "Chromium saknas ($chromium) och apt-get finns inte här. Installera Chromium" \
    "och typsnitten DejaVu och Liberation med systemets pakethanterare, eller sätt UPPSIKT_CHROMIUM."
  node_ok || fail "Node $NODE_MAJOR_MIN eller senare med npm krävs. Installera det med systemets pakethanterare."
  exit 0
fi

locked=false
if $beside && touch "$LOCK" 2>/dev/null; then
  # A run started while an earlier one still installs waits for it, then sees what is still missing.
  exec 9>"$LOCK"
  flock 9
  locked=true
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
  export DEBIAN_FRONTEND=noninteractive
  if $locked && only_for_printing "${missing[@]}"; then
    # The lock (fd 9) goes with the background job and is released when it ends; apt-get itself does
    # not get it, so nothing apt-get leaves running can hold it.
    echo "uppsikt: installerar systempaket vid sidan av kedjan: ${missing[*]} (logg: $LOG)"
    {
      trap '' HUP # a closed terminal must not stop dpkg halfway (INT is already ignored in the background)
      "${sudo[@]}" apt-get update -qq 9>&- &&
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" 9>&-
    } >"$LOG" 2>&1 </dev/null &
    exit 0
  fi
  echo "uppsikt: installerar systempaket: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq 9>&-
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 9>&-
fi

if [ "$#" -eq 0 ] && ! node_ok; then
  fail "Node $NODE_MAJOR_MIN eller senare med npm krävs (hittade: $(node --version 2>/dev/null || echo ingen))." \
    "Debian 12:s nodejs är för gammal: installera Node $NODE_MAJOR_MIN, t.ex. från Debian 13 eller nodejs.org."
fi
