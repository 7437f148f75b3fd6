#!/usr/bin/env bash
# Runs the whole test suite: the portable C firmware code, then every .NET test project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
# shellcheck source=build/ensure-prerequisites.sh
source "$root/build/ensure-prerequisites.sh"
robotics_ensure_all
# The published robot program's tests cross-build arm64 and run it under user-mode emulation.
robotics_ensure_runtime_publish_packages linux-arm64 emulate

robotics_say "C firmware protocol: build and unit tests"
make -s -C firmware-interface/c test

robotics_say "building the solution"
dotnet build Robotics.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# One test assembly at a time: the hardware-in-the-loop and emulator tests run in real time and must
# not share the two cores with a training test.
robotics_say "running the .NET tests"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test Robotics.sln -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test assemblies.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
