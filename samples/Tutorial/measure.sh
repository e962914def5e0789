#!/usr/bin/env bash
# Startup and shutdown latency of the tutorial, median of N runs (default 10):
#   exec -> the "App is running" line on standard output (everything started),
#   SIGINT -> the process has exited (graceful stop of the whole tree).
# Usage: samples/Tutorial/measure.sh [command...]
#   default command: the NativeAOT binary published by
#   `dotnet publish samples/Tutorial -c Release`;
#   e.g. `samples/Tutorial/measure.sh dotnet samples/Tutorial/bin/Release/net10.0/Tutorial.dll` for the JIT build.
set -euo pipefail
set -m # job control: a background job keeps SIGINT (without it bash starts it with SIGINT ignored)
cd "$(dirname "$0")/../.."
runs=${RUNS:-10}
if [ $# -eq 0 ]; then
  set -- samples/Tutorial/bin/Release/net10.0/linux-x64/publish/Tutorial
fi
[ -e "$1" ] || command -v "$1" >/dev/null || { echo "not found: $1 (publish first)" >&2; exit 1; }
if [ -f "$1" ]; then echo "binary: $1 ($(stat -c %s "$1") bytes)"; fi

us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }

starts=(); stops=()
for i in $(seq 1 "$runs"); do
  port=$((20000 + RANDOM % 20000)); ws=$((port + 1))
  t0=$(us)
  coproc TUT { exec "$@" --port "$port" --websocket-port "$ws" 2>/dev/null; }
  pid=$TUT_PID
  started=""
  while IFS= read -r line <&"${TUT[0]}"; do
    if [[ $line == *"App is running"* ]]; then started=$(us); break; fi
  done
  if [ -z "$started" ]; then echo "run $i: did not start (port $port busy?)" >&2; wait "$pid" || true; continue; fi
  t1=$(us)
  kill -INT "$pid"
  wait "$pid" && code=0 || code=$?
  t2=$(us)
  [ "$code" -eq 0 ] || echo "run $i: exit code $code" >&2
  starts+=($((started - t0))); stops+=($((t2 - t1)))
done
echo "runs: ${#starts[@]}"
echo "exec -> started: median $(printf '%s\n' "${starts[@]}" | median) ms  (all, us: ${starts[*]})"
echo "SIGINT -> exit:  median $(printf '%s\n' "${stops[@]}" | median) ms  (all, us: ${stops[*]})"
