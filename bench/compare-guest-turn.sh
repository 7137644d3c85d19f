#!/usr/bin/env bash
# Guest-turn bench on a baseline commit and on the working tree, alternating runs in the same session (this
# machine is noisy), then the mean of each side per concurrency level and the ratio working tree / baseline.
# Usage: bench/compare-guest-turn.sh <baseline-commit> [seconds-per-level=5] [rounds=2]
set -euo pipefail
base=${1:?usage: bench/compare-guest-turn.sh <baseline-commit> [seconds-per-level] [rounds]}
secs=${2:-5}
rounds=${3:-2}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
git -C "$root" worktree add --detach "$tmp/base" "$base" >/dev/null 2>&1
cleanup() { git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

bench=bench/HotelAgent.Bench.GuestTurn
echo "building baseline $(git -C "$root" rev-parse --short "$base") and working tree $(git -C "$root" rev-parse --short HEAD)+changes..."
dotnet build -c Release "$tmp/base/$bench" -nologo -v q >/dev/null
dotnet build -c Release "$root/$bench" -nologo -v q >/dev/null

for round in $(seq 1 "$rounds"); do
  for side in baseline current; do
    dir=$([ "$side" = baseline ] && echo "$tmp/base" || echo "$root")
    echo "round $round: $side"
    (cd "$dir" && dotnet "$bench/bin/Release/net10.0/HotelAgent.Bench.GuestTurn.dll" "$secs") \
      | awk '/^summary:/ { exit } /concurrent: turns=/ { line = $0 } /ms CPU per turn/ { for (i = 1; i <= NF; i++) if ($i == "ms" && $(i + 1) == "CPU") cpu = $(i - 1); print line " cpu=" cpu }' \
      | sed "s/^/$side /" >> "$tmp/results"
  done
done

echo
echo "means over $rounds round(s), ${secs}s per level; ratio = current / baseline (latency: lower is better; msg/s: higher is better)"
awk '
  # the first p50/p95/p99 of a line are the turn latency (the ack percentiles follow after "| ack")
  function first(re,   m) { return match($0, re) ? substr($0, RSTART, RLENGTH) : "" }
  function num(x) { sub(/^[^=]*=/, "", x); sub(/ .*/, "", x); return x + 0 }
  {
    side = $1; level = $2
    p50[side, level] += num(first("p50=[0-9.]+")); p95[side, level] += num(first("p95=[0-9.]+")); p99[side, level] += num(first("p99=[0-9.]+"))
    t = first("[0-9.]+ msg/s"); sub(/ msg\/s/, "", t); tput[side, level] += t + 0
    a = first("ack p50=[0-9.]+ p95=[0-9.]+ p99=[0-9.]+"); sub(/.*p99=/, "", a); ack[side, level] += a + 0
    c = first("cpu=[0-9.]+"); sub(/cpu=/, "", c); cpu[side, level] += c + 0
    n[side, level]++; levels[level] = 1
  }
  END {
    printf "%-12s %-9s %10s %10s %10s %10s %12s %12s\n", "concurrent", "side", "p50 ms", "p95 ms", "p99 ms", "msg/s", "ack p99 ms", "CPU ms/turn"
    for (l in levels) {
      for (s = 0; s < 2; s++) {
        side = s == 0 ? "baseline" : "current"; k = n[side, l]
        printf "%-12s %-9s %10.2f %10.2f %10.2f %10.0f %12.2f %12.2f\n", l, side, p50[side, l] / k, p95[side, l] / k, p99[side, l] / k, tput[side, l] / k, ack[side, l] / k, cpu[side, l] / k
      }
      b = n["baseline", l]; c = n["current", l]
      printf "%-12s %-9s %9.2fx %9.2fx %9.2fx %9.2fx %11.2fx %11.2fx\n", l, "ratio", (p50["current", l] / c) / (p50["baseline", l] / b), (p95["current", l] / c) / (p95["baseline", l] / b), (p99["current", l] / c) / (p99["baseline", l] / b), (tput["current", l] / c) / (tput["baseline", l] / b), (ack["current", l] / c) / (ack["baseline", l] / b), (cpu["current", l] / c) / (cpu["baseline", l] / b)
    }
  }' "$tmp/results" | sort -n -k1,1 -s
