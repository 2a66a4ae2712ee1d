#!/bin/sh
# Pack an initramfs for a plan and boot it on each kernel: the base, the
# series without the exit-window patch (nowin) and the whole series
# (patched).  Console logs go to build/logs/NAME-KERNEL.log; with -q the
# console is not shown.
# usage: boot-kernels.sh [-q] PLAN NAME
set -eu

quiet=
[ "$1" = -q ] && { quiet=1; shift; }
plan=$1 name=$2
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
s=$top/scripts
mkdir -p "$b/logs"

# The plan's programs, from the selftests, perf or the demo build.
files=
for p in $(awk '!/^#/ && NF >= 3 { sub("^/bin/", "", $3); print $3 }' "$plan" |
		sort -u); do
	case $p in
	perf) f=$b/perf/perf ;;
	*) f=$(find "$b/selftests" -name "$p" -type f -perm -u+x | head -1) ;;
	esac
	[ -n "$f" ] && [ -f "$f" ] || { echo "error: program $p of $plan was not built" >&2; exit 1; }
	files="$files $f"
done
# The demo's workload and guest symbols are arguments, not programs.
grep -q guest_workload "$plan" &&
	files="$files $b/demo/guest_workload $b/demo/guest.kallsyms"

echo "==> packing the initramfs for $(basename "$plan")"
# shellcheck disable=SC2086
"$s/build-initramfs.sh" "$b/initramfs/$name.gz" "$b/obj/patched/usr/gen_init_cpio" \
	"$plan" $files

for k in base nowin patched; do
	log=$b/logs/$name-$k.log
	echo "==> booting the $k kernel as a KVM host under QEMU (log: build/logs/$name-$k.log)"
	# A failed boot is reported with the results.
	if [ -n "$quiet" ]; then
		"$s/boot.sh" "$b/obj/$k/arch/riscv/boot/Image" "$b/initramfs/$name.gz" \
			"$log" 900 >/dev/null || true
	else
		"$s/boot.sh" "$b/obj/$k/arch/riscv/boot/Image" "$b/initramfs/$name.gz" \
			"$log" 900 | sed -n '/^@@ kernel/,$p' || true
	fi
done
