#!/bin/sh
# The administrator's switch: perf_guest_callchain_test on the patched
# kernel booted with kvm.perf_guest_callchains=0, under QEMU 10 (plain):
# the test must pass with every guest chain the PC alone.  One "ok - ..."
# or "not ok - ..." line; the log is build/TREE/logs/nowalk-patched.log.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t { print $4 }' "$1"
}
totals() {
	sed -n "/^@@ start $2\$/,/^@@ result $2 /s/^# Totals: //p" "$1"
}

"$s/build/get-qemu10.sh" "$shared/qemu10" >&2
echo "perf_guest_callchain_test 180 /bin/perf_guest_callchain_test" > "$b/nowalk.plan"
KERNEL_ARGS=kvm.perf_guest_callchains=0 PLATFORM=qemu10 \
	"$s/boot/boot-kernels.sh" -q -k patched "$b/nowalk.plan" nowalk >&2
log=$b/logs/nowalk-patched.log
n=$(grep -c '^ok [0-9]* .*callchains of the PC alone' "$log" || true)
totals=$(totals "$log" perf_guest_callchain_test)
grep -q '^# kvm.perf_guest_callchains=0: guest chains must be the PC alone' "$log" &&
	[ "$(result "$log" perf_guest_callchain_test)" = pass ] && [ "$n" -gt 0 ] && ok=1 || ok=0
check $ok "QEMU 10.0, kvm.perf_guest_callchains=0: perf_guest_callchain_test passes with every guest chain the PC alone ($n chain checks; ${totals:-no totals})"
