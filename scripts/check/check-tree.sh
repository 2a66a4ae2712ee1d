#!/bin/sh
# The checks of one tree's series (TREE=7.3 or 6.12, scripts/tree/env.sh):
# build everything, boot the tree's kernels as KVM hosts with the KVM
# selftests and the perf demo (with a real Linux guest under Debian's
# QEMU) and check the results; perf's own tests with the base's and the
# series' perf; the upstream KVM suite under sampling on the base and the
# series; then the series itself: checkpatch, get_maintainer, every
# prefix builds.
#   7.3: the base (mainline's attribution) and the series, under QEMU 10,
#        on the plain and the AIA machine, and the series with the walk
#        switched off; then, for mainline only, as the 6.12 series
#        carries the same code: more configurations, W=1 and sparse, the
#        docs, and the debug kernel (KVM as a module, lock, memory and UB
#        checking) with the whole plan and the safety checks (its stress,
#        scripts/check/check-debug.sh --stress, is not in make check).
#   6.12: the base, the naive fixture and the series under QEMU 7.2, and
#        the series under -icount.  QEMU 10 (plain and AIA) runs the same
#        code in the 7.3 tree.
# Results: build/TREE/logs/results, one "ok - ..." or "not ok - ..." line
# a check.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
res=$b/logs/results

mkdir -p "$b/logs"
# How long each step took, in seconds: build/TREE/logs/times.
times=$b/logs/times
: > "$times"
t0=$(date +%s)
stamp() { t=$(date +%s); echo "$1 $((t - t0))" >> "$times"; t0=$t; }

"$s/build/build-all.sh"
stamp build
: > "$res"
cat "$top/config/tests.plan" "$top/config/demo.plan" > "$b/check.plan"
# run_step SCRIPT...: a check script's lines, or one failure if it stops.
run_step() {
	"$@" >> "$res" || echo "not ok - $(basename "$1") stopped" >> "$res"
	stamp "$(basename "$1" .sh)"
}

case $TREE in
6.12)
	"$s/boot/boot-kernels.sh" "$b/check.plan" check
	# perf_guest_test again where cycles count instructions, so that the
	# exit storm's host share is held to the test's own floor.
	QEMU_EXTRA="-icount shift=0" "$s/boot/boot-kernels.sh" -k patched \
		"$top/config/icount.plan" icount
	stamp boots
	run_step "$s/check/compare-results.sh" "$b/logs/check" "$b/check.plan" \
		"$b/logs/icount-patched.log"
	"$s/demo/profile-summary.sh" "$b/logs/check" "$b/demo/check" > /dev/null
	run_step "$s/check/check-profile.sh" "$b/demo/check"
	;;
*)
	"$s/build/get-qemu10.sh" "$shared/qemu10"
	for p in $platforms; do
		name=check$(echo "${p#qemu10}" | tr -d -)
		PLATFORM=$p "$s/boot/boot-kernels.sh" "$b/check.plan" "$name"
		stamp "boots-$p"
		run_step "$s/check/compare-results.sh" "$b/logs/$name" "$b/check.plan" -
		"$s/demo/profile-summary.sh" "$b/logs/$name" "$b/demo/$name" > /dev/null
		run_step "$s/check/check-profile.sh" "$b/demo/$name"
	done
	log=$b/logs/checkaia-patched.log
	grep -q 'Platform IPI Device *: aia-imsic' "$log" &&
		grep -q '^qemu-guest: .*, -M virt,aia=aplic-imsic$' "$log" && ok=ok || ok="not ok"
	echo "$ok - checkaia: OpenSBI found the IMSIC (aia-imsic) and Debian's QEMU ran the real Linux guest on KVM's in-kernel AIA (-M virt,aia=aplic-imsic)" >> "$res"
	run_step "$s/check/check-nowalk.sh"
	;;
esac
# perf's own tests (perf test) with the base's perf and the series',
# on the series' kernel: the same results but for the series' new tests.
PLATFORM=${platforms%% *} "$s/boot/boot-kernels.sh" -q -k patched \
	"$top/config/perf-test.plan" perftest
stamp boots-perftest
run_step "$s/check/check-perf-test.sh" "$b/logs/perftest-patched.log"
run_step "$s/check/check-suite.sh"

# Upstream quality of the series.
echo "==> checkpatch.pl --strict and get_maintainer.pl on the series"
run_step "$s/check/checkpatch-series.sh" "$b/linux" "$patches"
run_step "$s/check/check-maintainers.sh" "$b/linux" "$patches"
run_step "$s/check/check-bisect.sh"
# More configurations, W=1 and sparse, the documentation and the debug
# kernel for mainline only: the 6.12 series carries the same code.
case $TREE in 7.3)
	run_step "$s/check/check-configs.sh"
	run_step "$s/check/check-warnings.sh"
	run_step "$s/check/check-docs.sh"
	run_step "$s/check/check-debug.sh" ;;
esac
