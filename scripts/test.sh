#!/usr/bin/env bash
# Runs every test. On a fresh Debian machine it first installs the tools the tests use (audio: espeak-ng,
# opus-tools, ffmpeg, sox; python3 for a SQLite lock test; the Dovecot IMAP server the email tests start; redis-server for the shared-limit tests; Chromium for
# the web chat's browser tests; npm for Azurite, the Azure Storage emulator the durable-backend and Azure Tables tests start;
# the Bicep CLI comes from NuGet with the test project's restore), so this one command is all the set-up
# a newcomer needs.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# python3: a standalone-queue test holds a SQLite write lock from a second process (python3's sqlite3 module).
for tool in espeak-ng:espeak-ng opusenc:opus-tools ffmpeg:ffmpeg sox:sox sqlite3:sqlite3 python3:python3 npm:npm; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
# redis-server: the shared rate-limit and cache tests start their own on free loopback ports (the system service is not used).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# Dovecot's IMAP server (the email tests start their own instance on a free loopback port; its system service is not used).
[[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap ]] || need+=(dovecot-imapd)
# Chromium for the web chat's browser tests (Playwright drives /usr/bin/chromium; its own browser download is not used).
[[ -x /usr/bin/chromium ]] || need+=(chromium)
if ((${#need[@]})); then
  echo "Installing missing Debian packages: ${need[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Azurite (npm azurite 3.37.0), the Azure Storage emulator the AzureStorage durable-backend tests start once per run.
AZURITE_DIR="${HOTELAGENT_TOOLS_DIR:-$HOME/.cache/hotelagent}/azurite-3.37.0"
if [[ ! -x "$AZURITE_DIR/node_modules/.bin/azurite" ]]; then
  echo "Installing azurite 3.37.0 into $AZURITE_DIR"
  mkdir -p "$AZURITE_DIR"
  npm install --prefix "$AZURITE_DIR" azurite@3.37.0 --no-audit --no-fund --loglevel=error >/dev/null
fi
export HOTELAGENT_AZURITE="$AZURITE_DIR/node_modules/.bin/azurite"

dotnet test HotelAgent.sln --configuration Release "$@"
