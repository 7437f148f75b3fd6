#!/usr/bin/env bash
# Phase averages of a walking run (docs/benchmarks.md, the quadruped on the robot side): for each row of a
# --command-hold profile, the base's true forward, sideways and yaw velocity from a truth CSV (`robotics run --link
# "sim:TASK?truth=FILE"` or `robotics emulate --truth FILE`), averaged from one second after the row starts to the
# next row (the last row: to the end of the profile's duration); then the lowest height and largest tilt.
#
#   build/truth-phases.sh PROFILE.csv TRUTH.csv [DURATION_S]
#   build/truth-phases.sh configs/commands/quadruped-walk-profile.csv truth.csv 18
set -euo pipefail
profile=${1:?usage: build/truth-phases.sh PROFILE.csv TRUTH.csv [DURATION_S]}
truth=${2:?usage: build/truth-phases.sh PROFILE.csv TRUTH.csv [DURATION_S]}
duration=${3:-18}
awk -F, -v duration="$duration" '
    BEGIN { n = 0 }
    FNR == NR { if ($0 !~ /^#/ && NF >= 2) { start[n] = $1; command[n] = $0; n++ } next }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NF < 6 || $(col["tilt_rad"]) == "" { next }          # a row cut short by the end of the run
    {
        if (t0 == "") t0 = $(col["time_s"])
        t = $(col["time_s"]) - t0
        if (minh == "" || $(col["height_m"]) < minh) minh = $(col["height_m"])
        if ($(col["tilt_rad"]) > maxt) maxt = $(col["tilt_rad"])
        for (p = 0; p < n; p++) {
            end = (p + 1 < n) ? start[p + 1] : duration
            if (t >= start[p] + 1 && t < end) {
                f[p] += $(col["forward_mps"]); s[p] += $(col["sideways_mps"]); y[p] += $(col["yaw_rate_radps"]); c[p]++
            }
        }
    }
    END {
        for (p = 0; p < n; p++) {
            if (c[p] == 0) { printf "command %s: no rows\n", command[p]; continue }
            printf "command %s: forward %.3f m/s, sideways %.3f m/s, yaw rate %.3f rad/s (%d rows)\n", command[p], f[p] / c[p], s[p] / c[p], y[p] / c[p], c[p]
        }
        printf "height at least %.3f m, tilt at most %.3f rad\n", minh, maxt
    }' "$profile" "$truth"
