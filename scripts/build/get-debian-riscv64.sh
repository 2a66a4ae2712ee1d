#!/bin/sh
# Fetch Debian 13's own riscv64 builds of programs for the KVM host,
# pinned, with a private apt configuration under OUT (the machine's apt
# setup is left alone) from the archive the machine's own apt sources
# name: busybox (a shell and the utilities that perf's shell tests use)
# and bash (most of perf's shell tests are bash scripts), both Debian's
# static builds; and QEMU (qemu-system-riscv, dynamically linked), with
# the packages it depends on, of which only what the binary loads is
# kept: OUT/qemu/ holds qemu-system-riscv64, the loader and the
# libraries it names (DT_NEEDED, followed), flat.  Writes OUT/busybox,
# OUT/bash and OUT/qemu/; a second run with the same versions does
# nothing.
# usage: get-debian-riscv64.sh OUT
set -eu

busybox_version=1:1.37.0-6+b9
bash_version=5.2.37-2+b10
qemu_version=1:10.0.13+ds-0+deb13u1

mkdir -p "$1"
out=$(cd "$1" && pwd)
stamp="busybox-static $busybox_version, bash-static $bash_version, qemu-system-riscv $qemu_version"
[ "$(cat "$out/.fetched" 2>/dev/null)" = "$stamp" ] && [ -x "$out/busybox" ] &&
	[ -x "$out/bash" ] && [ -x "$out/qemu/qemu-system-riscv64" ] && exit 0

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
# QEMU and what it depends on, without Recommends: apt resolves them
# against an empty status, as on a new machine.
echo "==> fetching Debian's riscv64 qemu-system-riscv $qemu_version and its dependencies" >&2
apt_private -qq -y --no-install-recommends install --download-only \
	"qemu-system-riscv:riscv64=$qemu_version" >&2 || {
	echo "error: Debian's trixie cannot give riscv64 qemu-system-riscv $qemu_version with its dependencies" >&2
	exit 1
}
mv "$out"/apt/cache/archives/*.deb "$out/debs/"
rm -rf "$out/root"
mkdir -p "$out/root"
for d in "$out"/debs/*.deb; do
	dpkg-deb -x "$d" "$out/root"
done
cp "$out/root/usr/bin/busybox" "$out/busybox"
cp "$out/root/usr/bin/bash-static" "$out/bash"
# The binary and, transitively, every library it names.
rm -rf "$out/qemu"
mkdir -p "$out/qemu"
libs="$out/root/usr/lib/riscv64-linux-gnu"
todo=$out/root/usr/bin/qemu-system-riscv64
cp "$todo" "$out/qemu/"
while [ -n "$todo" ]; do
	set -- $todo
	f=$1
	shift
	todo=$*
	for l in $(riscv64-linux-gnu-readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -f "$out/qemu/$l" ] && continue
		[ -f "$libs/$l" ] || { echo "error: $l, which QEMU needs, is in no package fetched" >&2; exit 1; }
		cp -L "$libs/$l" "$out/qemu/"
		todo="$todo $libs/$l"
	done
done
rm -rf "$out/root" "$out/debs"
rm -rf "$out/apt"
echo "$stamp" > "$out/.fetched"
