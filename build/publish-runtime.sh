#!/usr/bin/env bash
# Builds the bundle a user copies onto a robot controller: the robotics-runtime program (NativeAOT), ONNX Runtime's
# native library for that platform and nothing for any other, a README and an example systemd unit.
#
#   build/publish-runtime.sh --rid linux-x64|linux-arm64 [--out DIR] [--trimmed]
#
# --trimmed publishes a self-contained trimmed JIT build instead (the fallback where NativeAOT cannot link).
# Without --out the bundle goes to .build/runtime/<rid>[-trimmed]/ and is rebuilt only when the sources changed,
# so tests and scripts can call this freely. Prints the bundle's folder on the last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=build/ensure-prerequisites.sh
source "$root/build/ensure-prerequisites.sh"

rid="" out="" trimmed=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rid) rid="${2:-}"; shift 2 ;;
        --out) out="${2:-}"; shift 2 ;;
        --trimmed) trimmed="yes"; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) robotics_say "unknown option '$1'; usage: build/publish-runtime.sh --rid linux-x64|linux-arm64 [--out DIR] [--trimmed]"; exit 1 ;;
    esac
done
case "$rid" in
    linux-x64|linux-arm64) ;;
    *) robotics_say "--rid must be linux-x64 or linux-arm64 (got '${rid}')"; exit 1 ;;
esac

flavour="$rid${trimmed:+-trimmed}"
cached="$root/.build/runtime/$flavour"
target="${out:-$cached}"
stamp="$cached/.stamp"
sources_changed() {
    [ -x "$cached/robotics-runtime" ] && [ -f "$stamp" ] || return 0
    [ -n "$(find "$root/src/Robotics.Contract" "$root/src/Robotics.Runtime" "$root/src/Robotics.RobotRuntime" \
        "$root/firmware-interface/Robotics.FirmwareInterface" "$root/build/robot" "$root/build/publish-runtime.sh" \
        "$root/Directory.Build.props" "$root/Directory.Packages.props" \
        \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]
}

if sources_changed; then
    robotics_ensure_dotnet
    robotics_ensure_runtime_publish_packages "$rid"
    staging="$(mktemp -d)"
    trap 'rm -rf "$staging"' EXIT
    if [ -n "$trimmed" ]; then
        robotics_say "publishing robotics-runtime for $rid (self-contained, trimmed)"
        mode=(-p:PublishTrimmed=true -p:PublishAot=false)
    else
        robotics_say "publishing robotics-runtime for $rid (NativeAOT; a minute or two)"
        mode=(-p:PublishAot=true)
    fi
    # Intermediate files of its own per platform, so that publishing never disturbs the solution's build.
    nice dotnet publish "$root/src/Robotics.RobotRuntime/Robotics.RobotRuntime.csproj" -c Release -r "$rid" --self-contained \
        "${mode[@]}" --artifacts-path "$root/.build/runtime/artifacts-$flavour" -o "$staging/publish" -nologo -v quiet -clp:ErrorsOnly >&2
    rm -rf "$cached"
    mkdir -p "$cached"
    # The program and the native libraries it loads; debug symbols and anything for another platform stay behind.
    find "$staging/publish" -maxdepth 1 -type f ! -name '*.dbg' ! -name '*.pdb' ! -name '*.dll' -exec cp {} "$cached/" \;
    [ -n "$trimmed" ] && cp "$staging/publish/"*.dll "$cached/"
    cp "$root/build/robot/README.md" "$root/build/robot/robotics-runtime.service" "$cached/"
    touch "$stamp"
fi

if [ "$target" != "$cached" ]; then
    mkdir -p "$target"
    cp -a "$cached/." "$target/"
    rm -f "$target/.stamp"
fi
robotics_say "bundle for $flavour: $(du -sh "$target" | cut -f1) in $target"
echo "$target"
