#!/usr/bin/env bash
# NativeAOT benchmark, part 1: publishes the three apps (net10.0, linux-x64 NativeAOT) and prints
# their sizes. Part 2, exec→exit timing, is done by the harness:
#   dotnet run -c Release --project benchmarks/Mode.Benchmarks -- --only aot
# (the full run calls this script itself). With hyperfine installed (apt-get install -y hyperfine),
# `benchmarks/aot.sh --hyperfine` also times the three binaries with it.
#
#   AotHello  Mode: one service that starts, logs in Mode's format and stops itself
#   AotBare   a console app that writes the same lines by hand (the lower bound)
#   AotHost   Generic Host: empty builder + console logging + one BackgroundService
#
# Linking needs gcc (or clang) and binutils' objcopy for symbol stripping.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=benchmarks/artifacts/aot
for tool in gcc objcopy; do
  command -v "$tool" >/dev/null || { echo "aot.sh: $tool is needed to link NativeAOT binaries" >&2; exit 1; }
done

for app in AotHello AotBare AotHost; do
  echo "+ dotnet publish benchmarks/$app -c Release" >&2
  dotnet publish "benchmarks/$app/$app.csproj" -c Release -o "$out/$app" -nologo -v quiet >&2
done

printf '%-10s %12s\n' app bytes
for app in AotHello AotBare AotHost; do
  printf '%-10s %12s\n' "$app" "$(stat -c %s "$out/$app/$app")"
done

if [ "${1:-}" = "--hyperfine" ]; then
  hyperfine -N --warmup 5 --runs 30 "$out/AotBare/AotBare" "$out/AotHello/AotHello" "$out/AotHost/AotHost"
fi
