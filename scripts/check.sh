#!/bin/sh
# make check: build the base and the patched kernel, boot each as the L1
# KVM host with the same initramfs of KVM selftests, and check that the
# new test fails on the base, passes with the series, and that the other
# tests give the same result on both.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
s=$top/scripts
mkdir -p "$b/logs"

step() { echo "==> $*"; }

"$s/deps.sh"
"$s/make-tree.sh"
step "building the base kernel (log: build/obj/base/build.log)"
"$s/build-kernel.sh" "$b/linux-base" "$b/obj/base"
step "building the patched kernel (log: build/obj/patched/build.log)"
"$s/build-kernel.sh" "$b/linux" "$b/obj/patched"
step "building the KVM selftests (log: build/selftests/build.log)"
"$s/build-selftests.sh" "$b/linux" "$b/obj/patched" "$b/selftests"

plan=$top/config/check.plan
progs=$(awk '!/^#/ && NF >= 3 { sub("^/bin/", "", $3); print $3 }' "$plan")
files=
for p in $progs; do
	f=$(find "$b/selftests" -name "$p" -type f -perm -u+x | head -1)
	[ -n "$f" ] || { echo "error: test program $p was not built" >&2; exit 1; }
	files="$files $f"
done
step "packing the initramfs"
# shellcheck disable=SC2086
"$s/build-initramfs.sh" "$b/initramfs/check.gz" "$b/obj/patched/usr/gen_init_cpio" \
	"$plan" $files

for k in base patched; do
	step "booting the $k kernel as a KVM host under QEMU (log: build/logs/$k.log)"
	# A failed boot is reported by compare-results.sh with the rest.
	"$s/boot.sh" "$b/obj/$k/arch/riscv/boot/Image" "$b/initramfs/check.gz" \
		"$b/logs/$k.log" 900 | sed -n '/^@@ kernel/,$p' || true
done

step "checking the series with checkpatch.pl --strict"
res=$b/logs/results
"$s/checkpatch-series.sh" "$b/linux" "$top/patches" > "$res"
"$s/compare-results.sh" "$b/logs/base.log" "$b/logs/patched.log" "$plan" >> "$res"

step "results"
awk '{ sub(/^ok -/, "ok " NR " -"); sub(/^not ok -/, "not ok " NR " -"); print }
	/^ok/ { p++ } /^not ok/ { f++ }
	END { print "1.." NR; print p + 0 " passed, " f + 0 " failed"; exit f > 0 }' \
	"$res" | sed '1i TAP version 13'
