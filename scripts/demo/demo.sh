#!/bin/sh
# make demo: profile the demo workload and a real Linux guest with the
# real perf kvm on the base and on the patched kernel, each booted as a
# KVM host under QEMU, and show where the samples land before and after
# the series.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts

"$s/build/build-all.sh"
case $platforms in qemu10*) "$s/build/get-qemu10.sh" "$shared/qemu10" ;; esac
PLATFORM=${platforms%% *} "$s/boot/boot-kernels.sh" -q "$top/config/demo.plan" demo
# Every kernel runs the workload and the real guest; only the series
# shows QEMU the guest's time offset, which the injection needs.
for k in $tree_kernels; do
	log=$b/logs/demo-$k.log
	steps="perf_report perf_guest_code_report linux_report"
	[ $k = base ] || steps="$steps linux_record linux_inject linux_task_report"
	for step in $steps; do
		grep -q "^@@ result $step pass" "$log" || {
			echo "error: $step on the $k kernel failed; see build/$TREE/logs/demo-$k.log" >&2
			exit 1
		}
	done
	grep -q '^qemu-guest: the guest powered off after' "$log" || {
		echo "error: the real guest did not power off on the $k kernel; see build/$TREE/logs/demo-$k.log" >&2
		exit 1
	}
done
echo
"$s/demo/profile-summary.sh" "$b/logs/demo" "$b/demo" |
	sed "s|$top/||"
