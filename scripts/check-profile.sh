#!/bin/sh
# Check the demo profiles written by profile-summary.sh: with the series,
# perf shows the workload's guest functions as [g] and [u], and more host
# kernel time than without the exit-window patch (KVM's handling of the
# SBI calls); on the base, no sample is guest.  One "ok - ..." or "not ok - ..." line a check.
# usage: check-profile.sh DIR
set -eu

dir=$1
check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
has() { grep -q "^sym [0-9.]* $2\$" "$dir/$1.profile" 2>/dev/null && echo 1 || echo 0; }
share() { awk -v l="$2" '$1 == "level" && $2 == l { print $3 }' "$dir/$1.profile" 2>/dev/null; }
zero() { [ "$(share "$1" "$2")" = 0.00 ] && echo 1 || echo 0; }

check "$(has patched '\[g\] guest_kernel_spin')" \
	"perf kvm report, patched: [g] guest_kernel_spin ($(share patched g)% [g] in all)"
check "$(has patched '\[u\] guest_user_spin')" \
	"perf kvm report, patched: [u] guest_user_spin ($(share patched u)% [u] in all)"
kn=$(share nowin k) kp=$(share patched k)
more=$(awk -v a="$kn" -v b="$kp" 'BEGIN { print (b >= a + 2) ? 1 : 0 }')
check "$more" "perf kvm report: the exit-window patch moves KVM's exit handling to [k] ([k] $kn% -> $kp%)"
check "$(zero base g)" "perf kvm report, base: no [g] samples ($(share base g)%)"
check "$(zero base u)" "perf kvm report, base: no [u] samples ($(share base u)%)"
