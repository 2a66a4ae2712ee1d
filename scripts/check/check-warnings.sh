#!/bin/sh
# Build the objects of the files the series touches with W=1, then run
# sparse on them (C=2), in the base and in the patched tree, and report
# any warning the patched tree has and the base has not.  Uses copies of
# the main .config in build/obj/warn-{base,patched}.
# One "ok - ..." or "not ok - ..." line a check.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
targets="arch/riscv/kernel/perf_callchain.o kernel/events/core.o kernel/events/callchain.o arch/riscv/kvm/"
mkdir -p "$b/obj/warn-base" "$b/obj/warn-patched"

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

# warnings K SRC TAG FLAGS...: the warnings of the targets, without
# line numbers, one a line (the build log is build-TAG.log).
warnings() {
	k=$1 src=$2 tag=$3
	shift 3
	obj=$b/obj/warn-$k
	mkdir -p "$obj"
	cmp -s "$b/kernels/$k/.config" "$obj/.config" 2>/dev/null ||
		cp "$b/kernels/$k/.config" "$obj/.config"
	# Compiler warnings come only from a compile: drop the old objects.
	# arch/riscv/kvm/ builds virt/kvm/ too.
	rm -f "$obj/arch/riscv/kernel/perf_callchain.o" "$obj/kernel/events/core.o" \
		"$obj/kernel/events/callchain.o" "$obj"/arch/riscv/kvm/*.o \
		"$obj"/virt/kvm/*.o
	# shellcheck disable=SC2086
	make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		-j"$(nproc)" W=1 "$@" $targets > "$obj/build-$tag.log" 2>&1 || return 1
	{ grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$obj/build-$tag.log" || true; } |
		sed -E "s|^$src/||; s|^([^:]+):[0-9]+:[0-9]+:|\1:|" | sort -u
}

for pass in W=1 C=2; do
	case $pass in
	W=1) flags= name=w1 ;;
	C=2) flags="C=2 CHECK=$top/scripts/check/sparse-riscv.sh" name=sparse ;;
	esac
	echo "==> $pass on the files the series touches" >&2
	wb=$b/obj/warn-base/$name.txt wp=$b/obj/warn-patched/$name.txt
	# shellcheck disable=SC2086
	if warnings base "$b/linux-base" $name $flags > "$wb.tmp" &&
		warnings patched "$b/linux" $name $flags > "$wp.tmp"; then
		mv "$wb.tmp" "$wb"
		mv "$wp.tmp" "$wp"
		new=$(comm -13 "$wb" "$wp")
		n=$(grep -c . "$wp" || true)
		if [ -z "$new" ]; then
			check 1 "$pass: no new warnings in the files the series touches ($n in all, as on the base)"
		else
			check 0 "$pass: new warnings in the files the series touches"
			printf '%s\n' "$new" | sed 's/^/# /'
		fi
	else
		check 0 "$pass: build of the touched files failed (build/$TREE/obj/warn-*)"
	fi
done
