#!/usr/bin/env bash
# SAC against PPO over seeds on cartpole swing-up, reacher and hopper (docs/benchmarks.md, "SAC").
# Trains one run at a time (the machine's cores go to the bridges), then compares them with
# `robotics compare`: per run the final and best evaluation return, the environment steps and wall-clock
# seconds at which it first reached PPO's final evaluation return, and steps/s; the curves against steps
# and against wall-clock go to OUT_DIR/plots, one PNG per task.
#
#   build/bench-algorithms.sh [OUT_DIR] [SEEDS] [TASKS] [ALGORITHMS]
#   build/bench-algorithms.sh runs/bench "1 2 3" "cartpole-swingup reacher hopper" "ppo sac"
#
# Environment: ROBOTICS (the robotics command, default ./robotics),
# TOTAL_STEPS (override every config's total_steps, e.g. for a short trial),
# SAC_FRACTION_OF_PPO (SAC runs for this fraction of the PPO config's total_steps on the same task,
# e.g. 0.3333: the issue's goal is SAC reaching PPO's final return within a third of its steps).
set -euo pipefail
out=${1:-runs/bench-algorithms}
seeds=${2:-"1 2 3"}
tasks=${3:-"cartpole-swingup reacher hopper"}
algorithms=${4:-"ppo sac"}
robotics=${ROBOTICS:-./robotics}
cd "$(dirname "$0")/.."
mkdir -p "$out"

for task in $tasks; do
  for algorithm in $algorithms; do
    config=configs/training/$task-$algorithm.yaml
    if [[ ! -f $config ]]; then echo "skipping $task/$algorithm: $config does not exist" >&2; continue; fi
    for seed in $seeds; do
      run=$out/$task-$algorithm-seed$seed
      [[ -f $run/policy.ckpt ]] && { echo "kept $run (already finished)"; continue; }
      extra=()
      if [[ -n ${TOTAL_STEPS:-} ]]; then
        extra+=(--total-steps "$TOTAL_STEPS")
      elif [[ $algorithm == sac && -n ${SAC_FRACTION_OF_PPO:-} ]]; then
        ppo_steps=$(awk '$1 == "total_steps:" { print $2 }' "configs/training/$task-ppo.yaml")
        extra+=(--total-steps "$(awk -v s="$ppo_steps" -v f="$SAC_FRACTION_OF_PPO" 'BEGIN { printf "%d", s * f }')")
      fi
      echo "== $task $algorithm seed $seed -> $run"
      $robotics train --config "$config" --seed "$seed" --out "$run" "${extra[@]}"
    done
  done
done

# Per run: final, mean of the last evaluations and best return, steps, wall-clock, and when it first reached PPO's
# final return; one PNG per task with the curves against steps and against wall-clock.
runs=("$out"/*-seed*/)
$robotics compare "${runs[@]}" --reference ppo --out "$out/plots"
