#!/bin/sh
# Pack an initramfs for a plan and boot it on each kernel of the tree
# (TREE, scripts/tree/env.sh: the base, on 6.12 the series with the
# naive attribution fixture, and the whole series, patched), or with -k
# the kernels listed (of build/TREE/kernels/: debug, say).  Console logs
# go to build/TREE/logs/NAME-KERNEL.log; with -q the
# console is not shown.  QEMU_EXTRA is passed on to boot.sh, and so is
# BOOT_LIMIT, the time limit of a boot in seconds (default 900).
# usage: boot-kernels.sh [-q] [-k "KERNEL..."] PLAN NAME
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
quiet= kernels=$tree_kernels
[ "$1" = -q ] && { quiet=1; shift; }
[ "$1" = -k ] && { kernels=$2; shift 2; }
plan=$1 name=$2
s=$top/scripts
mkdir -p "$b/logs"

# Every /bin/NAME the plan names, as a program or in an argument, from
# where the build put it: perf, kvm.ko of the debug kernel, the demo's
# and the stress's programs and files, or a KVM selftest.
files=
for p in $(grep -v '^#' "$plan" | grep -o '/bin/[A-Za-z0-9_.+-]*' | sed 's|^/bin/||' | sort -u); do
	case $p in
	perf) f=$b/perf/perf ;;
	kvm.ko) f=$b/kernels/debug/kvm.ko ;;
	linux-guest.cpio.gz) f=$b/demo/linux-guest/$p ;;
	*) f=$b/demo/$p
		[ -f "$f" ] || f=$(find "$b/selftests" -name "$p" -type f -perm -u+x | head -1) ;;
	esac
	[ -n "$f" ] && [ -f "$f" ] || { echo "error: $p, named in $plan, was not built" >&2; exit 1; }
	files="$files $f"
	# Debian's QEMU comes with the loader and libraries it loads.
	[ "$p" = qemu-system-riscv64 ] &&
		files="$files $(ls "$b"/demo/ld-linux-riscv64-lp64d.so.1 "$b"/demo/lib*.so*)"
done

echo "==> packing the initramfs for $(basename "$plan")"
# shellcheck disable=SC2086
"$s/build/build-initramfs.sh" "$b/initramfs/$name.gz" "$plan" $files

for k in $kernels; do
	log=$b/logs/$name-$k.log
	echo "==> booting the $k kernel as a KVM host under QEMU ${QEMU_EXTRA:+$QEMU_EXTRA }(log: build/$TREE/logs/$name-$k.log)"
	# A failed boot is reported with the results.
	if [ -n "$quiet" ]; then
		"$s/boot/boot.sh" "$b/kernels/$k/Image" "$b/initramfs/$name.gz" \
			"$log" "${BOOT_LIMIT:-900}" >/dev/null || true
	else
		"$s/boot/boot.sh" "$b/kernels/$k/Image" "$b/initramfs/$name.gz" \
			"$log" "${BOOT_LIMIT:-900}" | sed -n '/^@@ kernel/,$p' || true
	fi
done
