#!/bin/sh
# Check the demo profiles written by profile-summary.sh: with the series,
# perf shows the workload's guest functions as [g] and [u], more host
# kernel time than with the naive attribution (KVM's handling of the SBI
# calls), and a plain perf report shows every sample a plain perf record
# took; on the base, no sample is guest.  perf kvm --guest report -g
# shows the guest kernel loop's callers with the series, nothing on the
# base.  One "ok - ..." or "not ok - ..." line a check.
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
kn=$(share naive k) kp=$(share patched k)
more=$(awk -v a="$kn" -v b="$kp" 'BEGIN { print (b >= a + 2) ? 1 : 0 }')
check "$more" "perf kvm report: the series reports KVM's exit handling as [k] ([k] naive $kn% -> $kp%)"
plain() { awk '$1 == "plain" { print $2, $3 }' "$dir/$1.profile" 2>/dev/null; }
for k in base patched; do
	set -- $(plain $k) 0 0
	[ "$1" -gt 0 ] && [ "$2" = "$1" ] && ok=1 || ok=0
	check $ok "plain perf report, $k: shows every sample of a plain perf record ($2 of $1)"
done
set -- $(plain naive) 0 0
[ "$1" -gt 0 ] && [ "$2" -lt "$1" ] && ok=1 || ok=0
check $ok "plain perf report, naive attribution: hides the guest-tagged samples ($2 of $1 shown)"
check "$(zero base g)" "perf kvm report, base: no [g] samples ($(share base g)%)"
check "$(zero base u)" "perf kvm report, base: no [u] samples ($(share base u)%)"

# perf kvm --guest report -g caller: the guest kernel loop's call graph
# holds its callers, outermost first, on the series; the base has none.
graph() {
	awk '$1 ~ /^-*guest_(code|kernel)_/ { sub(/^-*/, "", $1); printf "%s%s", n++ ? " " : "", $1 }
		END { print "" }' "$dir/$1.chain" 2>/dev/null
}
g=$(graph patched)
[ "$g" = "guest_code_kernel guest_kernel_work guest_kernel_spin" ] && ok=1 || ok=0
check $ok "perf kvm --guest report -g, patched: guest call graph guest_code_kernel -> guest_kernel_work -> guest_kernel_spin (got: ${g:-none})"
[ -z "$(graph base)" ] && ok=1 || ok=0
check $ok "perf kvm --guest report -g, base: no guest call graph"
