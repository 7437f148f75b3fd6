#!/usr/bin/env bash
# Installs what the project needs on a Debian 12 machine when it is missing, saying what it does.
# Sourced by ./robotics and ./test.sh; quiet when everything is already there.
set -euo pipefail

robotics_say() { printf '\033[1m[robotics]\033[0m %s\n' "$*" >&2; }

# robotics_install_missing "WHAT THEY ARE FOR" PACKAGE...: installs those of the packages that are missing.
robotics_install_missing() {
    local why="$1"; shift
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            robotics_say "missing Debian packages: ${missing[*]}; run as root: apt-get install ${missing[*]}"; return 1
        fi
    fi
    robotics_say "installing Debian packages: ${missing[*]} ($why)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

robotics_ensure_debian_packages() {
    robotics_install_missing "MuJoCo 2.2.2 and a C compiler" libmujoco2.2.2 libmujoco-dev libmujoco-samples gcc make
}

robotics_ensure_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        robotics_say "the .NET SDK 10 is required and was not found on PATH (https://dot.net)"; return 1
    fi
}

# The firmware for Cortex-M boards and the emulator that runs it in the hardware-in-the-loop tests:
# gcc-arm-none-eabi and libnewlib-arm-none-eabi (newlib-nano) build the images, qemu-system-arm runs them.
robotics_ensure_firmware_packages() {
    robotics_install_missing "the Cortex-M firmware's compiler and C library, and QEMU to run it" \
        gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
}

robotics_ensure_all() {
    robotics_ensure_dotnet
    robotics_ensure_debian_packages
    robotics_ensure_firmware_packages
}

# The robot program (build/publish-runtime.sh): NativeAOT links with clang and zlib; arm64 is cross-linked with Debian's
# aarch64 toolchain and C library; the tests run the arm64 program under user-mode emulation (qemu-user-static with the
# arm64 C and C++ libraries). Pass the runtime identifier and, for the tests, "emulate".
robotics_ensure_runtime_publish_packages() {
    local rid="$1" emulate="${2:-}"
    local wanted=(clang zlib1g-dev)
    if [ "$rid" = "linux-arm64" ]; then
        wanted+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
        [ "$emulate" = "emulate" ] && wanted+=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)
    fi
    robotics_install_missing "to publish the robot program for $rid" "${wanted[@]}"
}
