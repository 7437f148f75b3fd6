#!/usr/bin/env bash
# Regenerates MujocoLayout.g.cs (offsets of the mjModel/mjData fields the bindings use) from the
# MuJoCo headers installed in /usr/include/mujoco (Debian package libmujoco-dev).
# Usage: bash sim-bridge/Robotics.Sim/Mujoco/generate-layout.sh [include-dir]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
include="${1:-/usr/include}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -std=c11 -I"$include" "$here/generate-layout.c" -o "$work/generate-layout"
"$work/generate-layout" > "$work/MujocoLayout.g.cs"
mv "$work/MujocoLayout.g.cs" "$here/MujocoLayout.g.cs"
echo "wrote $here/MujocoLayout.g.cs"
