#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs the audio tools the tests use
# (espeak-ng, opus-tools, ffmpeg, sox), so this one command is all the set-up a newcomer needs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in espeak-ng:espeak-ng opusenc:opus-tools ffmpeg:ffmpeg sox:sox sqlite3:sqlite3; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
if ((${#need[@]})); then
  echo "Installing missing Debian packages: ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dotnet test HotelAgent.sln --configuration Release "$@"
