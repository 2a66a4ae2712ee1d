#!/bin/sh
# Install the Debian packages the harness needs, if any is missing.
set -eu

pkgs="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-system-misc opensbi
linux-source-6.12 git make gcc flex bison bc cpio xz-utils perl python3
libssl-dev libelf-dev rsync python3-ply python3-git gawk gnuplot-nox
sparse clang-14 lld-14 llvm-14 python3-sphinx dpkg-dev"

missing=
for p in $pkgs; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "==> installing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "error: missing packages:$missing (run as root or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
	echo "error: apt-get install failed for:$missing" >&2
	exit 1
}
