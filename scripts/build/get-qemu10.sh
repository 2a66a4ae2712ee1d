#!/bin/sh
# Unpack Debian 13's QEMU and OpenSBI, as Debian 12's backports suite
# carries them, into build/qemu10/root, beside the machine's QEMU 7.2:
# pinned versions, fetched with an apt state of our own (the machine's
# sources and packages are left alone; apt checks the suite's signature
# with the machine's Debian keyring) and unpacked with dpkg -x.  The
# binary runs on Debian 12 as it is.
# usage: get-qemu10.sh OUTDIR
set -eu

qemu=1:10.0.2+ds-2+deb13u1~bpo12+1
sbi=1.5.1-1~bpo12+2
mkdir -p "$1"
out=$(cd "$1" && pwd)
bin=$out/root/usr/bin/qemu-system-riscv64
fw=$out/root/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

[ -x "$bin" ] && [ -f "$fw" ] && [ "$(cat "$out/versions" 2>/dev/null)" = "$qemu $sbi" ] &&
	exit 0

echo "==> fetching qemu-system-riscv $qemu and opensbi $sbi from bookworm-backports"
rm -rf "$out"
mkdir -p "$out/apt/lists/partial" "$out/debs" "$out/root"
uri=$("$(dirname "$0")/debian-archive.sh")
echo "deb $uri bookworm-backports main" > "$out/apt/sources.list"
set -- -o Dir::Etc::SourceList="$out/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$out/apt/lists" -o Dir::Cache="$out/apt/cache" \
	-o APT::Sandbox::User=root
mkdir -p "$out/apt/cache/archives/partial"
apt-get "$@" -qq update || {
	echo "error: cannot read Debian's bookworm-backports suite (apt-get update failed)" >&2
	exit 1
}
(cd "$out/debs" && apt-get "$@" -qq download "qemu-system-riscv=$qemu" "opensbi=$sbi") || {
	echo "error: bookworm-backports has no qemu-system-riscv $qemu or opensbi $sbi" >&2
	exit 1
}
for d in "$out"/debs/*.deb; do
	dpkg -x "$d" "$out/root"
done
"$bin" --version | grep -q 'version 10\.0\.2' || {
	echo "error: $bin does not run here" >&2
	exit 1
}
echo "$qemu $sbi" > "$out/versions"
