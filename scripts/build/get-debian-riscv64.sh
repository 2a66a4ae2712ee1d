#!/bin/sh
# Fetch Debian 13's own riscv64 builds of programs for the KVM host,
# pinned, with a private apt configuration under OUT (the machine's apt
# setup is left alone) from the archive the machine's own apt sources
# name: busybox (a shell and the utilities that perf's shell tests use)
# and bash (most of perf's shell tests are bash scripts), both Debian's
# static builds; and, dynamically linked, QEMU (qemu-system-riscv) for
# the KVM host and perf (linux-perf) for its real guest, each with the
# packages it depends on, of which only what the binary loads is kept:
# OUT/qemu/ holds qemu-system-riscv64, the loader and the libraries it
# names (DT_NEEDED, followed), flat, and OUT/perf/ the same of perf.
# Writes OUT/busybox, OUT/bash, OUT/qemu/ and OUT/perf/; a second run
# with the same versions does nothing.
# usage: get-debian-riscv64.sh OUT
set -eu

busybox_version=1:1.37.0-6+b9
bash_version=5.2.37-2+b10
qemu_version=1:10.0.13+ds-0+deb13u1
perf_version=6.12.117-1

mkdir -p "$1"
out=$(cd "$1" && pwd)
stamp="busybox-static $busybox_version, bash-static $bash_version, qemu-system-riscv $qemu_version, linux-perf $perf_version"
[ "$(cat "$out/.fetched" 2>/dev/null)" = "$stamp" ] && [ -x "$out/busybox" ] &&
	[ -x "$out/bash" ] && [ -x "$out/qemu/qemu-system-riscv64" ] &&
	[ -x "$out/perf/perf" ] && exit 0

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
# QEMU and perf and what they depend on, without Recommends: apt
# resolves them against an empty status, as on a new machine.
echo "==> fetching Debian's riscv64 qemu-system-riscv $qemu_version and linux-perf $perf_version, and their dependencies" >&2
apt_private -qq -y --no-install-recommends install --download-only \
	"qemu-system-riscv:riscv64=$qemu_version" "linux-perf:riscv64=$perf_version" >&2 || {
	echo "error: Debian's trixie cannot give riscv64 qemu-system-riscv $qemu_version and linux-perf $perf_version with their dependencies" >&2
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
# closure BIN DIR: BIN and, transitively, every library it names, into
# DIR, flat.
closure() {
	dir=$2 todo=$1
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$1" "$dir/"
	while [ -n "$todo" ]; do
		set -- $todo
		f=$1
		shift
		todo=$*
		for l in $(riscv64-linux-gnu-readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[ -f "$dir/$l" ] && continue
			src=
			for d in usr/lib lib; do
				src=$out/root/$d/riscv64-linux-gnu/$l
				[ -f "$src" ] && break
				src=
			done
			[ -n "$src" ] || { echo "error: $l, which $(basename "$f") needs, is in no package fetched" >&2; exit 1; }
			cp -L "$src" "$dir/"
			todo="$todo $src"
		done
	done
}
closure "$out/root/usr/bin/qemu-system-riscv64" "$out/qemu"
closure "$out/root/usr/bin/perf" "$out/perf"
rm -rf "$out/root" "$out/debs"
rm -rf "$out/apt"
echo "$stamp" > "$out/.fetched"
