#!/usr/bin/env bash
# Measures the published robot program against the goals of docs/deploy.md and prints the figures that
# docs/benchmarks.md records:
#   - bundle size per platform (unpacked);
#   - process start to the first command on the loopback link (model load included), NativeAOT x64;
#   - the 500 Hz loop: runs with zero overruns, NativeAOT against the JIT build of the same program, alternating
#     in one session so both see the same machine; and the bytes the loop allocated.
#
#   build/bench-runtime.sh [--runs N] [--seconds S] [--policy MODEL]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5 seconds=10 policy="$root/tests/Robotics.Runtime.Tests/Models/two_link_policy.onnx"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --policy) policy="$2"; shift 2 ;;
        *) echo "usage: build/bench-runtime.sh [--runs N] [--seconds S] [--policy MODEL]" >&2; exit 1 ;;
    esac
done

aot="$("$root/build/publish-runtime.sh" --rid linux-x64 | tail -n 1)/robotics-runtime"
arm="$("$root/build/publish-runtime.sh" --rid linux-arm64 | tail -n 1)"
dotnet build "$root/src/Robotics.RobotRuntime/Robotics.RobotRuntime.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
jit="$root/src/Robotics.RobotRuntime/bin/Release/net10.0/robotics-runtime"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bundle linux-x64:   $(du -sb "$(dirname "$aot")" | cut -f1) bytes"
echo "bundle linux-arm64: $(du -sb "$arm" | cut -f1) bytes"

starts=()
for _ in $(seq 10); do
    starts+=("$("$aot" run --policy "$policy" --link loopback --duration 0.1 --json 2>/dev/null | field FirstCommandAfterProcessStartMillis)")
done
echo "start to first command, NativeAOT x64 (ms, 10 runs): ${starts[*]}"

aot_clean=0 jit_clean=0
for i in $(seq "$runs"); do
    for build in aot jit; do
        exe="$aot"; [ "$build" = jit ] && exe="$jit"
        json="$("$exe" bench loop --policy "$policy" --rate 500 --seconds "$seconds" --json 2>/dev/null)"
        overruns="$(echo "$json" | field Overruns)"
        p99="$(echo "$json" | field PeriodErrorP99Micros)"
        allocated="$(echo "$json" | field LoopAllocatedBytes)"
        echo "run $i $build: overruns $overruns, p99 period error $p99 us, loop allocations $allocated bytes"
        if [ "$overruns" = 0 ]; then
            if [ "$build" = aot ]; then aot_clean=$((aot_clean + 1)); else jit_clean=$((jit_clean + 1)); fi
        fi
    done
done
echo "runs with zero overruns at 500 Hz: NativeAOT $aot_clean of $runs, JIT $jit_clean of $runs"
