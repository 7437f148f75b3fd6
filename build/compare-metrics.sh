#!/usr/bin/env bash
# Are two runs the same? Compares two metrics.csv files row by row over the rows both have, in every column both
# have except timings (perf/*, charts/sps), as text, so a difference in the last digit counts. Exits 0 when they
# match, 1 when not (the first differences are printed). The determinism check of docs/benchmarks.md and
# docs/training.md for long runs; the recorded-metrics tests do the same for short ones.
#
#   build/compare-metrics.sh RUN_A/metrics.csv RUN_B/metrics.csv
set -euo pipefail
a=${1:?usage: build/compare-metrics.sh RUN_A/metrics.csv RUN_B/metrics.csv}
b=${2:?usage: build/compare-metrics.sh RUN_A/metrics.csv RUN_B/metrics.csv}
awk -F, '
    FNR == 1 { file++; for (i = 1; i <= NF; i++) name[file, i] = $i; width[file] = NF; next }
    file == 1 { rowsA = FNR - 1; for (i = 1; i <= NF; i++) value[FNR - 1, name[1, i]] = $i; next }
    {
        row = FNR - 1; rowsB = row
        if (row > rowsA) next
        for (i = 1; i <= NF; i++) {
            column = name[2, i]
            if (column ~ /^perf\// || column == "charts/sps" || !((row, column) in value)) continue
            if (row == 1) compared++
            if (value[row, column] != $i && ++differences <= 5) printf "row %d, %s: %s against %s\n", row, column, value[row, column], $i
        }
    }
    END {
        rows = rowsA < rowsB ? rowsA : rowsB
        printf "%d rows x %d columns compared, %d differences\n", rows, compared, differences
        exit differences > 0
    }' "$a" "$b"
