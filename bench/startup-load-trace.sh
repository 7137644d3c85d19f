#!/usr/bin/env bash
# One start of a published HotelAgent.Functions.dll with the assembly-load trace hook (bench/HotelAgent.Bench.LoadTrace),
# as the startup bench starts it (temp data directory, product-default logging), until the first 200 of
# /api/health/ready; then prints one line per assembly load: ms since the hook ran, managed thread, assembly, and the
# first frame of ours (HotelAgent, the host, DurableTask) on its stack. The full stacks stay in the trace file.
# Usage: bench/startup-load-trace.sh path/to/HotelAgent.Functions.dll [trace file, default /tmp/loadtrace.txt]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$(realpath "$1")"; out="${2:-/tmp/loadtrace.txt}"
dotnet build -c Release "$root/bench/HotelAgent.Bench.LoadTrace" -nologo -v q >/dev/null
hook="$root/bench/HotelAgent.Bench.LoadTrace/bin/Release/net10.0/HotelAgent.Bench.LoadTrace.dll"
data="$(mktemp -d)"; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$data" && HotelAgent__DataDirectory="$data" WhatsApp__AppSecret=x WhatsApp__VerifyToken=x WhatsApp__AccessToken=x WhatsApp__PhoneNumberId=1 \
  DOTNET_STARTUP_HOOKS="$hook" LOADTRACE_OUT="$out" exec dotnet "$dll" --urls "http://127.0.0.1:$port" >"$data/stdout" 2>&1) &
pid=$!
for _ in $(seq 1 3000); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/health/ready" && break; sleep 0.01; done
kill "$pid"; wait "$pid" 2>/dev/null || true
rm -rf "$data"
python3 - "$out" <<'PY'
import sys
for block in open(sys.argv[1]).read().split('=== ')[1:]:
    lines = block.split('\n'); head = lines[0].split()
    frames = [l.strip()[3:] for l in lines[1:] if l.strip().startswith('at ')]
    ours = [f for f in frames if any(k in f for k in ('HotelAgent', 'Host.', 'GenericWebHost', 'DurableTask', 'StartupValidator', 'Kestrel'))]
    print(head[0].rjust(6), 'ms  tid', head[3].rjust(3), ' ', head[4][:50].ljust(50), (ours or frames or [''])[0][:120])
PY
