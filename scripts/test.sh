#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs the tools the tests use (audio: espeak-ng,
# opus-tools, ffmpeg, sox; the Dovecot IMAP server the email tests start), so this one command is all the set-up a
# newcomer needs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in espeak-ng:espeak-ng opusenc:opus-tools ffmpeg:ffmpeg sox:sox sqlite3:sqlite3; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
# Dovecot's IMAP server (the email tests start their own instance on a free loopback port; its system service is not used).
[[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap ]] || need+=(dovecot-imapd)
if ((${#need[@]})); then
  echo "Installing missing Debian packages: ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dotnet test HotelAgent.sln --configuration Release "$@"
