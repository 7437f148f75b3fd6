#!/usr/bin/env bash
# Builds the folder a user copies onto a bridge host: the robotics-sim-bridge program (self-contained linux-x64, so the
# host needs no .NET), the built-in robots and tasks it serves (configs/robots, configs/tasks), a README and an example
# systemd unit. MuJoCo itself comes from Debian on the host (apt-get install libmujoco2.2.2); see docs/bridge-hosts.md.
#
#   build/publish-sim-bridge.sh [--out DIR] [--framework-dependent]
#
# --framework-dependent leaves the .NET runtime out (the host then needs the .NET 10 runtime installed).
# Without --out the folder goes to .build/sim-bridge/linux-x64[-framework-dependent]/ and is rebuilt only when the
# sources changed, so tests and scripts can call this freely. Prints the folder on the last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=build/ensure-prerequisites.sh
source "$root/build/ensure-prerequisites.sh"

out="" dependent=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="${2:-}"; shift 2 ;;
        --framework-dependent) dependent="yes"; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) robotics_say "unknown option '$1'; usage: build/publish-sim-bridge.sh [--out DIR] [--framework-dependent]"; exit 1 ;;
    esac
done

rid="linux-x64"
flavour="$rid${dependent:+-framework-dependent}"
cached="$root/.build/sim-bridge/$flavour"
target="${out:-$cached}"
stamp="$cached/.stamp"
sources_changed() {
    [ -x "$cached/robotics-sim-bridge" ] && [ -f "$stamp" ] || return 0
    [ -n "$(find "$root/src/Robotics.Contract" "$root/sim-bridge" "$root/configs/robots" "$root/configs/tasks" \
        "$root/build/sim-bridge" "$root/build/publish-sim-bridge.sh" \
        "$root/Directory.Build.props" "$root/Directory.Packages.props" \
        \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]
}

if sources_changed; then
    robotics_ensure_dotnet
    staging="$(mktemp -d)"
    trap 'rm -rf "$staging"' EXIT
    if [ -n "$dependent" ]; then
        robotics_say "publishing robotics-sim-bridge for $rid (framework-dependent)"
        mode=(--no-self-contained)
    else
        robotics_say "publishing robotics-sim-bridge for $rid (self-contained)"
        mode=(--self-contained)
    fi
    # Intermediate files of its own, so that publishing never disturbs the solution's build. English messages only.
    nice dotnet publish "$root/sim-bridge/Robotics.SimBridge.Host/Robotics.SimBridge.Host.csproj" -c Release -r "$rid" "${mode[@]}" \
        -p:SatelliteResourceLanguages=en --artifacts-path "$root/.build/sim-bridge/artifacts-$flavour" -o "$staging/publish" \
        -nologo -v quiet -clp:ErrorsOnly >&2
    rm -rf "$cached"
    mkdir -p "$cached/configs"
    # The program and what it loads; debug symbols stay behind.
    find "$staging/publish" -mindepth 1 -maxdepth 1 ! -name '*.pdb' ! -name '*.dbg' -exec cp -r {} "$cached/" \;
    # The built-in catalogue: found next to the program when the working folder has no configs/ of its own.
    cp -r "$root/configs/robots" "$root/configs/tasks" "$cached/configs/"
    cp "$root/build/sim-bridge/README.md" "$root/build/sim-bridge/robotics-sim-bridge.service" "$cached/"
    touch "$stamp"
fi

if [ "$target" != "$cached" ]; then
    mkdir -p "$target"
    cp -a "$cached/." "$target/"
    rm -f "$target/.stamp"
fi
robotics_say "robotics-sim-bridge for $flavour: $(du -sh "$target" | cut -f1) in $target"
echo "$target"
