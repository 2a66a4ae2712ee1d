#!/bin/sh
# Build a riscv64 Image (and modules) from a source tree into an object
# directory, from tinyconfig plus config fragments (later ones win).
# usage: build-kernel.sh SRC OBJ [FRAGMENT...] [-- MAKE-VAR=VALUE...]
# With KARCH=x86_64 in the environment, a native x86_64 vmlinux instead.
# With no fragment, config/kvm-host.config.  MAKE-VARs (LLVM=-14, W=1)
# apply to every make call.  With TARGETS in the environment, only those
# make targets (directories the series touches, say) instead of the
# whole kernel.  Objects are kept in OBJ: a rebuild only recompiles what
# changed.  Exits non-zero if an option the fragments
# set does not stick, or the build fails.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$2"
src=$(cd "$1" && pwd) obj=$(cd "$2" && pwd)
shift 2
frags=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	frags="$frags $(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
	shift
done
[ $# -gt 0 ] && shift
vars="$*"
[ -z "$frags" ] && frags=$top/config/kvm-host.config

arch=${KARCH:-riscv}
case $arch in
riscv) cross=riscv64-linux-gnu- targets="Image modules" ;;
*) cross= targets=vmlinux ;;
esac
targets=${TARGETS:-$targets}

mk() {
	# shellcheck disable=SC2086
	make -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" \
		-j"$(nproc)" $vars "$@"
}

# Regenerate .config only when the fragments or variables changed.
# shellcheck disable=SC2086
sum=$( (cat $frags; echo "$vars") | sha1sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.frag.sum" 2>/dev/null)" != "$sum" ]; then
	mk -s tinyconfig >/dev/null
	# shellcheck disable=SC2086
	(cd "$src" && ARCH="$arch" CROSS_COMPILE="$cross" \
		scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" $frags) \
		>"$obj/merge.log" 2>&1
	mk -s olddefconfig >/dev/null
	# What the last fragment to name an option says must survive.
	# shellcheck disable=SC2086
	bad=$(sed -n -e 's/^\(CONFIG_[A-Z0-9_]*\)=\([ym]\)$/\1 \2/p' \
		-e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1 n/p' $frags |
		awk '{ want[$1] = $2 } END { for (o in want) print o, want[o] }' |
		while read -r o v; do
			got=$(sed -n "s/^$o=\(.*\)/\1/p" "$obj/.config")
			[ "${got:-n}" = "$v" ] || echo "$o=$v (got ${got:-n})"
		done)
	if [ -n "$bad" ]; then
		echo "error: options that did not stick in $obj/.config:" $bad >&2
		exit 1
	fi
	echo "$sum" > "$obj/.frag.sum"
fi
log=$obj/build.log
# shellcheck disable=SC2086
if ! mk $targets >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -30 >&2
	echo "error: kernel build failed in $src (log: $log)" >&2
	exit 1
fi
