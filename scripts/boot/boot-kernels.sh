#!/bin/sh
# Pack an initramfs for a plan and boot it on each kernel: the base, the
# series with the naive attribution fixture (naive) and the whole series
# (patched).  Console logs go to build/logs/NAME-KERNEL.log; with -q the
# console is not shown; -k boots only the kernels listed.  QEMU_EXTRA is
# passed on to boot.sh.
# usage: boot-kernels.sh [-q] [-k "KERNEL..."] PLAN NAME
set -eu

quiet= kernels="base naive patched"
[ "$1" = -q ] && { quiet=1; shift; }
[ "$1" = -k ] && { kernels=$2; shift 2; }
plan=$1 name=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts
mkdir -p "$b/logs"

# The plan's programs, from the selftests, perf or the demo build.
files=
for p in $(awk '!/^#/ && NF >= 3 { sub("^/bin/", "", $3); print $3 }' "$plan" |
		sort -u); do
	case $p in
	perf) f=$b/perf/perf ;;
	linux_vmm) f=$b/demo/linux_vmm ;;
	*) f=$(find "$b/selftests" -name "$p" -type f -perm -u+x | head -1) ;;
	esac
	[ -n "$f" ] && [ -f "$f" ] || { echo "error: program $p of $plan was not built" >&2; exit 1; }
	files="$files $f"
done
# The demo's workload and guest symbols are arguments, not programs.
grep -q guest_workload "$plan" &&
	files="$files $b/demo/guest_workload $b/demo/guest.kallsyms"
# So are the real Linux guest's kernel, initramfs and symbols.
grep -q linux_vmm "$plan" &&
	files="$files $b/demo/linux_vmm $b/demo/linux-guest.Image $b/demo/linux-guest/linux-guest.cpio.gz $b/demo/linux.kallsyms"

echo "==> packing the initramfs for $(basename "$plan")"
# shellcheck disable=SC2086
"$s/build/build-initramfs.sh" "$b/initramfs/$name.gz" "$b/obj/patched/usr/gen_init_cpio" \
	"$plan" $files

for k in $kernels; do
	log=$b/logs/$name-$k.log
	echo "==> booting the $k kernel as a KVM host under QEMU ${QEMU_EXTRA:+$QEMU_EXTRA }(log: build/logs/$name-$k.log)"
	# A failed boot is reported with the results.
	if [ -n "$quiet" ]; then
		"$s/boot/boot.sh" "$b/kernels/$k/Image" "$b/initramfs/$name.gz" \
			"$log" 900 >/dev/null || true
	else
		"$s/boot/boot.sh" "$b/kernels/$k/Image" "$b/initramfs/$name.gz" \
			"$log" 900 | sed -n '/^@@ kernel/,$p' || true
	fi
done
