#!/bin/sh
# Pack an initramfs: our init, a plan, and the programs the plan runs.
# usage: build-initramfs.sh OUT.gz PLAN FILE...
# Each FILE goes to /bin/ under its own name (a FILE named twice, once).
# With LIB_IN_BIN=1, /lib is a link to /bin: Debian's dynamically linked
# programs then find their loader and libraries, put in /bin beside
# them, where they look for them.
# The kernel tree's usr/gen_init_cpio.c, a host tool, packs it.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
out=$1 plan=$2
shift 2
dir=$(dirname "$out")
mkdir -p "$dir" "$b/tools"

gen=$b/tools/gen_init_cpio
if [ ! -x "$gen" ] || [ "$b/linux/usr/gen_init_cpio.c" -nt "$gen" ]; then
	cc -O2 -o "$gen" "$b/linux/usr/gen_init_cpio.c"
fi

init=$dir/init
if [ ! -x "$init" ] || [ "$top/init/init.c" -nt "$init" ]; then
	riscv64-linux-gnu-gcc -static -O2 -Wall -Werror -o "$init" "$top/init/init.c"
fi

list=$dir/initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /bin 0755 0 0"
	[ "${LIB_IN_BIN:-0}" = 0 ] || echo "slink /lib /bin 0777 0 0"
	echo "file /init $init 0755 0 0"
	echo "file /plan $(cd "$(dirname "$plan")" && pwd)/$(basename "$plan") 0644 0 0"
	for f in "$@"; do
		[ -f "$f" ] || { echo "error: $f missing for the initramfs" >&2; exit 1; }
		echo "file /bin/$(basename "$f") $(cd "$(dirname "$f")" && pwd)/$(basename "$f") 0755 0 0"
	done
} | awk '!seen[$0]++' > "$list"
"$gen" "$list" | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
