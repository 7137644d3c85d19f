#!/usr/bin/env bash
# The same benches on both durable backends, side by side in one run (issue 19): the guest-turn bench and the
# start-up/memory bench on `Sqlite` (the default) and on `AzureStorage` (DurableTask.AzureStorage, the engine the
# Functions host uses) against an Azurite started here (in memory, free loopback ports, stopped on exit).
# Usage: bench/compare-backends.sh [seconds-per-level=5] [messages=1000]
# Azurite comes from the same place as the test command's (scripts/test.sh installs it; this script does too).
set -euo pipefail
secs=${1:-5}
messages=${2:-1000}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
azurite_pid=""
cleanup() { [[ -n "$azurite_pid" ]] && kill "$azurite_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

azurite_dir="${HOTELAGENT_TOOLS_DIR:-$HOME/.cache/hotelagent}/azurite-3.37.0"
if [[ ! -x "$azurite_dir/node_modules/.bin/azurite" ]]; then
  echo "Installing azurite 3.37.0 into $azurite_dir"
  mkdir -p "$azurite_dir"
  npm install --prefix "$azurite_dir" azurite@3.37.0 --no-audit --no-fund --loglevel=error >/dev/null
fi
read -r blob queue table < <(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
"$azurite_dir/node_modules/.bin/azurite" --silent --disableTelemetry --skipApiVersionCheck --inMemoryPersistence \
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table" >"$tmp/azurite.log" 2>&1 &
azurite_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$table") 2>/dev/null && break; sleep 0.1; done
kill -0 "$azurite_pid" 2>/dev/null || { echo "Azurite did not start:"; cat "$tmp/azurite.log"; exit 1; }
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"

echo "building the benches..."
dotnet build -c Release "$root/bench/HotelAgent.Bench.GuestTurn" -nologo -v q >/dev/null
dotnet build -c Release "$root/bench/HotelAgent.Bench.Startup" -nologo -v q >/dev/null
turn="$root/bench/HotelAgent.Bench.GuestTurn/bin/Release/net10.0/HotelAgent.Bench.GuestTurn.dll"
start="$root/bench/HotelAgent.Bench.Startup/bin/Release/net10.0/HotelAgent.Bench.Startup.dll"
r2r="$root/bench/HotelAgent.Bench.Startup/bin/r2r-publish/HotelAgent.Functions.dll"

# The Azure Storage settings that minimise latency on one standalone process (docs/benchmarks.md).
azure_env=(Durable__Backend=AzureStorage "AzureWebJobsStorage=$storage"
  Durable__AzureStorage__MaxQueuePollingInterval=00:00:00.100 Durable__AzureStorage__PartitionCount=1)

echo "start-up and memory: Sqlite (publishes the ReadyToRun build once)"
(cd "$root" && dotnet "$start" "$messages") >"$tmp/start-sqlite.txt" 2>&1
echo "start-up and memory: AzureStorage on Azurite"
(cd "$root" && env "${azure_env[@]}" dotnet "$start" "$messages" "$r2r") >"$tmp/start-azure.txt" 2>&1
echo "guest turn: Sqlite"
(cd "$root" && dotnet "$turn" "$secs") >"$tmp/turn-sqlite.txt" 2>&1
echo "guest turn: AzureStorage on Azurite"
(cd "$root" && env "${azure_env[@]}" dotnet "$turn" "$secs") >"$tmp/turn-azure.txt" 2>&1

echo
echo "=== side by side (same session; load average now: $(cut -d' ' -f1-3 /proc/loadavg)) ==="
for backend in sqlite azure; do
  name=$([[ $backend == sqlite ]] && echo Sqlite || echo "AzureStorage (Azurite, polling <= 100 ms, 1 partition)")
  echo "--- $name"
  awk '/^summary:/ { on = 1 } on && (/^summary:/ || / concurrent: turns=/)' "$tmp/turn-$backend.txt"
  grep -E "process start → /api/health/ready|VmRSS after start|^after [0-9]+ messages" "$tmp/start-$backend.txt" | sed 's/^ */  /' \
    || echo "  start-up bench printed no summary"
done
for f in "$tmp"/turn-*.txt "$tmp"/start-*.txt; do
  if ! grep -qE "^summary|process start →" "$f"; then echo "--- tail of $f"; tail -20 "$f"; fi
done
