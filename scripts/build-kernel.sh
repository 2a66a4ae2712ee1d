#!/bin/sh
# Build a riscv64 Image from a source tree into an object directory.
# usage: build-kernel.sh SRC OBJ [FRAGMENT...] [-- MAKE-ARGS...]
# Objects are kept in OBJ: a rebuild only recompiles what changed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
src=$(cd "$1" && pwd) obj=$(cd "$2" && pwd)
shift 2
frags=
while [ $# -gt 0 ] && [ "$1" != -- ]; do frags="$frags $1"; shift; done
[ $# -gt 0 ] && shift
[ -z "$frags" ] && frags=$top/config/kvm-host.config
abs=
for f in $frags; do abs="$abs $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"; done
frags=$abs

mk() {
	make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		-j"$(nproc)" "$@"
}

# Regenerate .config only when the fragments changed.
sum=$(cat $frags | sha1sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.frag.sum" 2>/dev/null)" != "$sum" ]; then
	mk -s tinyconfig >/dev/null
	# shellcheck disable=SC2086
	(cd "$src" && ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" $frags) >"$obj/merge.log" 2>&1
	mk -s olddefconfig >/dev/null
	for f in $frags; do
		# Every =y/=m line of the fragment must survive olddefconfig.
		grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$f" | while read -r l; do
			grep -qx "$l" "$obj/.config" ||
				echo "warning: $l from $(basename "$f") did not stick" >&2
		done
	done
	echo "$sum" > "$obj/.frag.sum"
fi
log=$obj/build.log
if ! mk "$@" Image modules >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -30 >&2
	echo "error: kernel build failed in $src (log: $log)" >&2
	exit 1
fi
