#!/bin/sh
# make check: build everything, boot the base kernel, the series with the
# naive attribution fixture and the whole series as KVM hosts with the KVM
# selftests and the perf demo (with a real Linux guest), and check the
# results, and linux_vmm's refusal of bad input; boot the series under
# QEMU 10 (plain and AIA) and the upstream KVM suite under sampling on
# the base and the series; then check the
# series itself: checkpatch, get_maintainer, every prefix builds, more
# configurations, W=1 and sparse, the debug kernel (KVM as a module,
# clang, lock, memory and UB checking) with the whole plan and the
# stress, the docs.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts

"$s/build/build-all.sh"
cat "$top/config/tests.plan" "$top/config/demo.plan" > "$b/check.plan"
"$s/boot/boot-kernels.sh" "$b/check.plan" check
# perf_guest_test again where cycles count instructions, so that the
# exit storm's host share is held to the test's own 90% floor.
QEMU_EXTRA="-icount shift=0" "$s/boot/boot-kernels.sh" -k patched \
	"$top/config/icount.plan" icount

res=$b/logs/results
"$s/check/compare-results.sh" "$b/logs/check-base.log" "$b/logs/check-naive.log" \
	"$b/logs/check-patched.log" "$b/check.plan" "$b/logs/icount-patched.log" > "$res"
"$s/demo/profile-summary.sh" "$b/logs/check" "$b/demo/check" > /dev/null
"$s/check/check-profile.sh" "$b/demo/check" >> "$res"
"$s/check/check-vmm-input.sh" "$b/demo" >> "$res"
# The same plan on the emulator of Debian 13 (QEMU 10, OpenSBI 1.5),
# plain and with AIA; the whole upstream KVM suite under sampling.
"$s/check/check-qemu10.sh" >> "$res" || echo "not ok - check-qemu10.sh stopped" >> "$res"
"$s/check/check-suite.sh" >> "$res" || echo "not ok - check-suite.sh stopped" >> "$res"

# Upstream quality of the series.
echo "==> checkpatch.pl --strict and get_maintainer.pl on the series"
"$s/check/checkpatch-series.sh" "$b/linux" "$top/patches" >> "$res"
"$s/check/check-maintainers.sh" "$b/linux" "$top/patches" >> "$res"
"$s/check/check-bisect.sh" >> "$res" || echo "not ok - check-bisect.sh stopped" >> "$res"
"$s/check/check-configs.sh" >> "$res" || echo "not ok - check-configs.sh stopped" >> "$res"
"$s/check/check-warnings.sh" >> "$res" || echo "not ok - check-warnings.sh stopped" >> "$res"
"$s/check/check-debug.sh" >> "$res" || echo "not ok - check-debug.sh stopped" >> "$res"
"$s/check/check-docs.sh" >> "$res" || echo "not ok - check-docs.sh stopped" >> "$res"

echo "==> results"
echo "TAP version 13"
awk '/^ok -/ { sub(/^ok -/, "ok " ++n " -"); p++ }
	/^not ok -/ { sub(/^not ok -/, "not ok " ++n " -"); f++ }
	{ print }
	END { print "1.." n; print p + 0 " passed, " f + 0 " failed"; exit f > 0 }' \
	"$res"
