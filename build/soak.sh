#!/usr/bin/env bash
# Soak benchmark (docs/benchmarks.md, "Soak"): trains one config for a fixed wall-clock time and reports whether
# the run survived. At the end it sends Ctrl+C (SIGINT), which the trainer answers by saving last.ckpt and exiting
# 0; any other end (a crash, an aborted run) counts as a failure. Prints steps, updates, checkpoints written,
# warnings and errors from train.log, and the machine's load.
#
#   build/soak.sh CONFIG MINUTES [OUT_DIR] [extra train options...]
#   build/soak.sh configs/training/quadruped-walk-ppo.yaml 60 runs/soak-quadruped --seed 1
#
# Environment: ROBOTICS (the robotics command, default ./robotics).
set -uo pipefail
config=${1:?usage: build/soak.sh CONFIG MINUTES [OUT_DIR] [train options...]}
minutes=${2:?usage: build/soak.sh CONFIG MINUTES [OUT_DIR] [train options...]}
out=${3:-runs/soak-$(basename "$config" .yaml)-$(date -u +%Y%m%dT%H%M%S)}
shift $(( $# >= 3 ? 3 : $# ))
robotics=${ROBOTICS:-./robotics}
cd "$(dirname "$0")/.."
if [[ -e $out ]]; then echo "$out exists; choose another OUT_DIR" >&2; exit 2; fi

echo "soak: $config for $minutes min into $out (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
start=$(date +%s)
timeout --signal=INT --kill-after=120 "$((minutes * 60))" "$robotics" train --config "$config" --out "$out" "$@" > "$out.stdout" 2> "$out.stderr"
status=$?
elapsed=$(( $(date +%s) - start ))

# timeout's 124 means the time ran out and the trainer answered Ctrl+C; 0 means it finished total_steps first.
if [[ $status == 0 || $status == 124 ]] && ! grep -q " error " "$out/train.log" 2>/dev/null; then verdict=survived; else verdict="FAILED (exit $status)"; fi
last_row=$(tail -n 1 "$out/metrics.csv" 2>/dev/null)
header=$(head -n 1 "$out/metrics.csv" 2>/dev/null)
column() { awk -F, -v name="$1" -v header="$header" 'BEGIN { n = split(header, h, ","); for (i = 1; i <= n; i++) if (h[i] == name) c = i } { print $c }' <<< "$last_row"; }
echo "soak: $verdict after ${elapsed} s; updates $(column iteration), steps $(column charts/global_step), eval return $(column eval/return_mean)"
echo "soak: checkpoints written: $(grep -c . <(ls "$out/checkpoints" 2>/dev/null)) files in checkpoints/, last.ckpt $( [[ -f $out/checkpoints/last.ckpt ]] && echo present || echo MISSING )"
echo "soak: train.log: $(grep -c " warn " "$out/train.log" 2>/dev/null) warnings, $(grep -c " error " "$out/train.log" 2>/dev/null) errors; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep " error " "$out/train.log" 2>/dev/null | tail -n 3
tail -n 3 "$out.stderr"
[[ $verdict == survived ]]
