#!/bin/sh
# Fetch Debian 13's own riscv64 builds of programs for the KVM host,
# pinned, with a private apt configuration under OUT (the machine's apt
# setup is left alone) from the archive the machine's own apt sources
# name: busybox (a shell and the utilities that perf's shell tests use)
# and bash (most of perf's shell tests are bash scripts).  Both are
# Debian's static builds.  Writes OUT/busybox and OUT/bash; a second run
# with the same versions does nothing.
# usage: get-debian-riscv64.sh OUT
set -eu

busybox_version=1:1.37.0-6+b9
bash_version=5.2.37-2+b10

mkdir -p "$1"
out=$(cd "$1" && pwd)
stamp="busybox-static $busybox_version, bash-static $bash_version"
[ "$(cat "$out/.fetched" 2>/dev/null)" = "$stamp" ] && [ -x "$out/busybox" ] &&
	[ -x "$out/bash" ] && exit 0

uri=$("$(dirname "$0")/debian-archive.sh")
. "$(dirname "$0")/apt-private.sh"
apt_private_init "$out/apt" "deb [arch=riscv64] $uri trixie main" riscv64
rm -rf "$out/debs"
mkdir -p "$out/debs"
echo "==> fetching Debian's riscv64 busybox-static $busybox_version and bash-static $bash_version" >&2
apt_private -qq update >&2 || {
	echo "error: cannot read Debian's trixie suite for riscv64 at $uri (apt-get update failed)" >&2
	exit 1
}
(cd "$out/debs" && apt_private -qq download "busybox-static:riscv64=$busybox_version" \
	"bash-static:riscv64=$bash_version") >&2 || {
	echo "error: Debian's trixie has no riscv64 busybox-static $busybox_version or bash-static $bash_version" >&2
	exit 1
}
rm -rf "$out/root"
mkdir -p "$out/root"
for d in "$out"/debs/*.deb; do
	dpkg-deb -x "$d" "$out/root"
done
cp "$out/root/usr/bin/busybox" "$out/busybox"
cp "$out/root/usr/bin/bash-static" "$out/bash"
rm -rf "$out/root" "$out/debs"
rm -rf "$out/apt"
echo "$stamp" > "$out/.fetched"
