#!/usr/bin/env bash
# NativeAOT benchmark, part 1: publishes the four apps (net10.0, NativeAOT for this machine) and
# prints their sizes. Part 2, exec→exit timing, is done by the harness:
#   dotnet run -c Release --project benchmarks/Mode.Benchmarks -- --only aot
# (the full run calls this script itself). With hyperfine installed (apt-get install -y hyperfine),
# `benchmarks/aot.sh --hyperfine` also times the binaries with it.
#
#   AotHello     Mode: one service that starts, logs in Mode's format and stops itself
#   AotBare      a console app that writes the same lines by hand (the lower bound)
#   AotLogFloor  no Mode: background work that logs one line through an ILogger (the floor of any
#                app that logs through Microsoft.Extensions.Logging)
#   AotHost      Generic Host: empty builder + console logging + one BackgroundService
#
# Each publish also writes ILCompiler's size statistics (obj/Release/net10.0/<rid>/native/<app>.mstat);
# `benchmarks/aot.sh --breakdown` prints what AotHello has over AotBare and over AotLogFloor, by
# assembly, namespace and Mode type (benchmarks/aot-size.cs reads the files).
#
# Linking needs gcc (or clang) and binutils' objcopy for symbol stripping.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=benchmarks/artifacts/aot
apps=(AotHello AotBare AotLogFloor AotHost)
if ! command -v gcc >/dev/null && ! command -v clang >/dev/null; then
  echo "aot.sh: gcc or clang is needed to link NativeAOT binaries" >&2
  exit 1
fi
command -v objcopy >/dev/null || { echo "aot.sh: objcopy (binutils) is needed to strip NativeAOT binaries" >&2; exit 1; }

for app in "${apps[@]}"; do
  echo "+ dotnet publish benchmarks/$app -c Release" >&2
  dotnet publish "benchmarks/$app/$app.csproj" -c Release -o "$out/$app" -p:IlcGenerateMstatFile=true -nologo -v quiet >&2
done

printf '%-12s %12s\n' app bytes
for app in "${apps[@]}"; do
  printf '%-12s %12s\n' "$app" "$(stat -c %s "$out/$app/$app")"
done

mstat() { ls benchmarks/"$1"/obj/Release/net10.0/*/native/"$1".mstat; }
case "${1:-}" in
  --hyperfine)
    hyperfine -N --warmup 5 --runs 30 "$out/AotBare/AotBare" "$out/AotLogFloor/AotLogFloor" "$out/AotHello/AotHello" "$out/AotHost/AotHost"
    ;;
  --breakdown)
    echo
    echo "## AotHello over AotBare"
    dotnet run benchmarks/aot-size.cs -- "$(mstat AotHello)" "$(mstat AotBare)" --top 15
    echo "## AotHello over AotLogFloor"
    dotnet run benchmarks/aot-size.cs -- "$(mstat AotHello)" "$(mstat AotLogFloor)" --top 15 --namespace Mode
    ;;
esac
