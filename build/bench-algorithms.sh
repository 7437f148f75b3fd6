#!/usr/bin/env bash
# SAC against PPO over seeds on cartpole swing-up, reacher and hopper (docs/benchmarks.md, "SAC").
# Trains one run at a time (the machine's cores go to the bridges), then prints, per run, the final and
# best evaluation return, the environment steps and wall-clock seconds at which the run first reached
# PPO's final evaluation return, and steps/s. Curves (return against steps and against wall-clock) are in
# each run's metrics.csv; `robotics plot RUN_DIR` draws them.
#
#   build/bench-algorithms.sh [OUT_DIR] [SEEDS] [TASKS] [ALGORITHMS]
#   build/bench-algorithms.sh runs/bench "1 2 3" "cartpole-swingup reacher hopper" "ppo sac"
#
# Environment: ROBOTICS (the robotics command, default ./robotics),
# TOTAL_STEPS (override every config's total_steps, e.g. for a short trial).
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
      [[ -n ${TOTAL_STEPS:-} ]] && extra+=(--total-steps "$TOTAL_STEPS")
      echo "== $task $algorithm seed $seed -> $run"
      $robotics train --config "$config" --seed "$seed" --out "$run" "${extra[@]}"
    done
  done
done

python3 - "$out" <<'PY'
import csv, glob, os, statistics, sys
out = sys.argv[1]
def rows(run):
    with open(os.path.join(run, "metrics.csv")) as f:
        return [r for r in csv.DictReader(f)]
def num(r, k):
    try: return float(r[k])
    except (KeyError, ValueError): return float("nan")
runs = {}
for run in sorted(glob.glob(os.path.join(out, "*-seed*"))):
    name = os.path.basename(run)
    task_algo, seed = name.rsplit("-seed", 1)
    task, algo = task_algo.rsplit("-", 1)
    evals = [(num(r, "charts/global_step"), num(r, "perf/wall_seconds"), num(r, "eval/return_mean")) for r in rows(run)]
    evals = [e for e in evals if e[2] == e[2]]
    if not evals: continue
    last = rows(run)[-1]
    train = [num(r, "charts/episode_return_mean") for r in rows(run)]
    train = [v for v in train if v == v][-5:]
    runs.setdefault(task, {}).setdefault(algo, []).append(dict(seed=seed, evals=evals, final=evals[-1][2], best=max(e[2] for e in evals),
        train=statistics.mean(train) if train else float("nan"), steps=num(last, "charts/global_step"), wall=num(last, "perf/wall_seconds")))
print("| task | algorithm | seed | final eval return | best eval | training return (last 5 updates) | steps | wall s | steps/s | steps to PPO's final eval (mean over seeds) | wall s to it |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for task, algos in runs.items():
    ppo_final = statistics.mean(r["final"] for r in algos["ppo"]) if "ppo" in algos else None
    for algo, rs in algos.items():
        for r in rs:
            reach = next(((s, w) for s, w, v in r["evals"] if ppo_final is not None and v >= ppo_final), None)
            print(f"| {task} | {algo} | {r['seed']} | {r['final']:.1f} | {r['best']:.1f} | {r['train']:.1f} | {r['steps']:.0f} | {r['wall']:.0f} | {r['steps'] / max(r['wall'], 1e-9):.0f} | "
                  f"{'-' if reach is None else f'{reach[0]:.0f}'} (PPO final {'-' if ppo_final is None else f'{ppo_final:.1f}'}) | {'-' if reach is None else f'{reach[1]:.0f}'} |")
PY
