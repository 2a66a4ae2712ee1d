#!/bin/sh
# The series on the emulator of Debian 13: QEMU 10.0 and OpenSBI 1.5
# (scripts/build/get-qemu10.sh), where cycles and instret filter by
# mode (Smcntrpmf), on the plain virt machine (a PLIC) and on one with
# AIA (APLIC and IMSICs, Ssaia and Smaia).  Each boots the patched
# kernel with make check's plan (the selftests and the demo with the
# real Linux guest): every step must end as under QEMU 7.2, or pass
# where it skips there (sbi_pmu_test's overflow test needs Sscofpmf in
# the guest, which KVM offers only with AIA), and the log must have no
# warning, oops or panic.  The AIA machine must have booted with an
# IMSIC (OpenSBI's "aia-imsic") and given the guest Ssaia.
# One "ok - ..." or "not ok - ..." line a check; logs are
# build/TREE/logs/qemu10-patched.log and qemu10aia-patched.log.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
plan=$b/check.plan

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t { print $4 }' "$1"
}
# totals LOG TEST: a test's kselftest totals in a log.
totals() {
	sed -n "/^@@ start $2\$/,/^@@ result $2 /s/^# Totals: //p" "$1"
}

if ! "$s/build/get-qemu10.sh" "$shared/qemu10" >&2; then
	check 0 "QEMU 10 and OpenSBI 1.5 from bookworm-backports could be had"
	exit 0
fi
for p in qemu10 qemu10-aia; do
	name=$(echo "$p" | tr -d -)
	PLATFORM=$p "$s/boot/boot-kernels.sh" -q -k patched "$plan" "$name" >&2
	log=$b/logs/$name-patched.log
	bad= better=
	for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$plan"); do
		want=$(result "$b/logs/check-patched.log" "$t")
		got=$(result "$log" "$t")
		want=${want:-pass}
		if [ "$got" = pass ] && [ "$want" = skip ]; then
			better="$better $t"
		elif [ "$got" != "$want" ]; then
			bad="$bad $t=${got:-none}"
		fi
	done
	what="QEMU 10.0, OpenSBI 1.5"
	[ "$p" = qemu10-aia ] && what="$what, AIA (aia=aplic-imsic, Ssaia, Smaia)"
	totals="perf_guest_test: $(totals "$log" perf_guest_test); perf_guest_callchain_test: $(totals "$log" perf_guest_callchain_test)"
	check "$([ -z "$bad" ] && grep -q '^@@ done' "$log" && echo 1 || echo 0)" \
		"$what: every step of the plan ends as under QEMU 7.2 ($totals)${better:+; passes where QEMU 7.2 skips:$better}${bad:+ (differ:$bad)}"
	warn=$(grep -E '^(guest\| )?\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|Call Trace|cut here)' "$log" | head -1 || true)
	check "$([ -z "$warn" ] && echo 1 || echo 0)" \
		"$what: the log has no warning, oops or panic${warn:+ (first: $warn)}"
	if [ "$p" = qemu10-aia ]; then
		grep -q 'Platform IPI Device *: aia-imsic' "$log" &&
			grep -q '^linux_vmm: guest ISA .*_ssaia_' "$log" && ok=1 || ok=0
		check $ok "$what: OpenSBI found the IMSIC (aia-imsic) and KVM gave the real Linux guest Ssaia"
	fi
done
