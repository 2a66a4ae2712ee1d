#!/bin/sh
# Check the demo profiles written by profile-summary.sh: perf names the
# host user loop [.]; with the series,
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
	"perf kvm --guest-code report, patched: [u] guest_user_spin ($(share patched u)% [u] in all)"
# perf reads the workload's ELF symbols itself (libelf).
for k in base patched; do
	check "$(has $k '\[\.\] host_user_spin')" \
		"perf kvm report, $k: [.] host_user_spin, named by perf ($(share $k .)% [.] in all)"
done
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

# The real Linux guest booted by linux_vmm: it boots, runs its plan and
# powers off on every kernel; with the series perf names hundreds of its
# kernel functions as [g], the read of /dev/zero among them, with a call
# graph from the syscall entry into __clear_user(); the base has no [g]
# or [u] sample and no graph.
for k in base naive patched; do
	set -- $(cat "$dir/$k.linux-boot" 2>/dev/null) x 0 x 0 x 0 x 0 x no
	[ "$4" = 3 ] && [ "$6" = 3 ] && [ "$8" = 1 ] && [ "${10}" != no ] && ok=1 || ok=0
	check $ok "real Linux guest on the $k kernel: reaches init at $2 s, passes $6 of $4 plan steps, powers off (VMM run ${10} s)"
done
lshare() { awk -v l="$2" '$1 == "level" && $2 == l { print $3 }' "$dir/$1.linux" 2>/dev/null; }
# A sample of the guest's early boot, before it turns its MMU on, has a
# physical PC (RAM is at 0x80000000), which no symbol names; every one
# at a kernel virtual address must be named.
named=$(awk '$1 == "sym" && $3 == "[g]" && $4 !~ /^0x/' "$dir/patched.linux" 2>/dev/null | wc -l)
bare=$(awk '$1 == "sym" && $3 == "[g]" && $4 ~ /^0xffff/' "$dir/patched.linux" 2>/dev/null | wc -l)
phys=$(awk '$1 == "sym" && $3 == "[g]" && $4 ~ /^0x0000/' "$dir/patched.linux" 2>/dev/null | wc -l)
[ "$named" -ge 100 ] && [ "$bare" = 0 ] && ok=1 || ok=0
check $ok "real guest, patched: perf names $named guest kernel functions [g] ($(lshare patched g)% of samples), $bare kernel addresses left bare ($phys physical ones of early boot)"
clear=$(awk '$1 == "sym" && $3 == "[g]" && $4 == "__clear_user" { print $2 }' "$dir/patched.linux" 2>/dev/null)
[ -n "$clear" ] && ok=1 || ok=0
check $ok "real guest, patched: the read of /dev/zero shows as [g] __clear_user (${clear:-0}%)"
[ "$(lshare patched u)" != 0.00 ] && [ -n "$(lshare patched u)" ] && ok=1 || ok=0
check $ok "real guest, patched: guest user samples [u] ($(lshare patched u)%)"
[ "$(lshare base g)" = 0.00 ] && [ "$(lshare base u)" = 0.00 ] && ok=1 || ok=0
check $ok "real guest, base: no [g] or [u] sample ($(lshare base g)% [g], $(lshare base u)% [u])"
lgraph() {
	awk '{ sub(/^[ |-]*([0-9.]+%--)?-*/, ""); if ($1 ~ /^[a-z_]/ && NF == 1) printf "%s%s", n++ ? " " : "", $1 }
		END { print "" }' "$dir/$1.linux-chain" 2>/dev/null
}
g=$(lgraph patched)
echo "$g" | grep -qE '^handle_exception do_trap_ecall_u __riscv_sys_read ksys_read vfs_read( [a-z_]+)* __clear_user$' &&
	ok=1 || ok=0
check $ok "real guest, patched: guest call graph from the syscall entry into __clear_user (got: ${g:-none})"
[ -z "$(lgraph base)" ] && ok=1 || ok=0
check $ok "real guest, base: no guest call graph"
