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

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
dir=$1 where=$(basename "$1")
# The kernel with the attribution that the series corrects: on 6.12 the
# naive fixture; on 7.3 the base, whose rule it models.  Only 6.12's base
# has no guest samples at all.
case $tree_kernels in *naive*) nv=naive ;; *) nv=base ;; esac
untagged_base() { [ $nv = naive ]; }
check() { if [ "$1" = 1 ]; then echo "ok - $where: $2"; else echo "not ok - $where: $2"; fi; }
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
kn=$(share $nv k) kp=$(share patched k)
more=$(awk -v a="$kn" -v b="$kp" 'BEGIN { print (b >= a + 2) ? 1 : 0 }')
check "$more" "perf kvm report: the series reports KVM's exit handling as [k] ([k] $nv $kn% -> $kp%)"
# A plain perf record sets exclude_guest with 6.12's perf, not with
# 7.3's, whose plain perf report then leaves out the guest's samples as
# perf kvm's are: these checks are 6.12's.
plain() { awk '$1 == "plain" { print $2, $3 }' "$dir/$1.profile" 2>/dev/null; }
if untagged_base; then
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
fi

# perf kvm --guest report -g caller: the guest kernel loop's call graph
# holds its callers, outermost first, on the series; the base has none.
# The heaviest branch comes first.  A sample taken in guest_kernel_spin's
# prologue, before it stores its frame record, misses guest_kernel_work
# (perf.rst's limits): perf then prints the branches with their shares
# ("--43.11%--guest_kernel_work"), and a lighter one may follow.
graph() {
	awk '{ sub(/^-*([0-9.]+%-+)?/, "", $1) }
		$1 ~ /^guest_(code|kernel)_/ { printf "%s%s", n++ ? " " : "", $1 }
		END { print "" }' "$dir/$1.chain" 2>/dev/null
}
g=$(graph patched)
case "$g " in "guest_code_kernel guest_kernel_work guest_kernel_spin "*) ok=1 ;; *) ok=0 ;; esac
check $ok "perf kvm --guest report -g, patched: guest call graph guest_code_kernel -> guest_kernel_work -> guest_kernel_spin (got: ${g:-none})"
[ -z "$(graph base)" ] && ok=1 || ok=0
check $ok "perf kvm --guest report -g, base: no guest call graph"

# The real Linux guest booted by Debian's QEMU: it boots, runs its plan
# (Debian's perf first says its version) and powers off on every kernel; with the series perf names hundreds of its
# kernel functions as [g], the read of /dev/zero among them, with a call
# graph from the syscall entry into __clear_user(); the base has no [g]
# or [u] sample and no graph.
# The upstream version of the pinned linux-perf package.
debian_perf=$(sed -n 's/^perf_version=\([^-]*\)-.*/\1/p' "$top/scripts/build/get-debian-riscv64.sh")
for k in $tree_kernels; do
	set -- $(cat "$dir/$k.linux-boot" 2>/dev/null) x 0 x 0 x 0 x 0 x no x none
	[ "$4" = 3 ] && [ "$6" = 3 ] && [ "$8" = 1 ] && [ "${10}" != no ] && [ "${12}" = "$debian_perf" ] && ok=1 || ok=0
	check $ok "real Linux guest on the $k kernel: reaches init at $2 s, passes $6 of $4 plan steps with Debian's perf ${12}, powers off (QEMU ran ${10} s)"
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
if untagged_base; then
	[ "$(lshare base g)" = 0.00 ] && [ "$(lshare base u)" = 0.00 ] && ok=1 || ok=0
	check $ok "real guest, base: no [g] or [u] sample ($(lshare base g)% [g], $(lshare base u)% [u])"
fi
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

# The real guest's tasks, named from the host with the guest's sideband
# injected (perf inject --guest-data): with the series, 90% or more of
# the guest's [u] samples have a symbol, each task's loop shows under its
# own command and guest pid (2% or less elsewhere) and the three loops
# hold 60% or more of the [u] samples (the rest is the guest's shell,
# init and libc start-up, more of it on a loaded host), load_a's
# samples come from vCPU 0 and load_b's from vCPU 1 (98% or more), its
# user call graph holds task_main -> work_a -> spin_a, and [g] names come
# from --guestkallsyms, none from the host's /proc/kallsyms.  With the
# guest's times 1 s off the same rules fail; without the sideband no
# [u] sample is named.  The base has no offset to inject with (QEMU's
# start script fails; compare-results.sh checks that).
tstat() { awk -f "$top/scripts/demo/task-stats.awk" "$dir/$1.task-pids" "$dir/$1.$2" 2>/dev/null |
	awk -v k="$3" -v f="${4:-}" '$1 == k && (f == "" || $2 == f) { $1 = ""; if (f != "") $2 = ""; print }'; }
tval() { tstat "$@" | awk '{ print $NF }'; }
named=$(tval patched tasks named) crossed=$(tval patched tasks crossed)
early=$(tval patched tasks early)
set -- $(tstat patched tasks u) 0 0
rec=$(($1 - ${early:-0}))
awk -v n="${named:-0}" -v u="$rec" 'BEGIN { exit !(n >= 90 && u >= 200) }' && ok=1 || ok=0
check $ok "real guest, patched: perf inject --guest-data, then perf names ${named:-0}% of the guest's $rec [u] samples after its perf record began (${early:-0} before it)"
set -- $(tstat patched tasks fn spin_a) 0 0; a=$1
set -- $(tstat patched tasks fn spin_b) 0 0; b=$1
own=$(tval patched tasks own)
awk -v c="${crossed:-100}" -v o="${own:-0}" -v a="$a" -v b="$b" \
	'BEGIN { exit !(c <= 2 && o >= 60 && a >= 100 && b >= 100) }' && ok=1 || ok=0
check $ok "real guest, patched: spin_a under load_a, spin_b under load_b, user_phase_spin under linux_guest_load, each with its guest pid: ${own:-0}% of the [u] samples ($a and $b of spin_a and spin_b), ${crossed:-100}% of theirs under another task"
vc() { awk -v c="$2" -v v="$3" '$1 == "vcpu" && $2 == c { t += $4; if ($3 == v) n += $4 }
	END { printf "%d %d\n", n, t }' "$dir/$1.task-vcpus" 2>/dev/null; }
set -- $(vc patched load_a 0) $(vc patched load_b 1)
awk -v a="$1" -v at="$2" -v b="$3" -v bt="$4" \
	'BEGIN { exit !(at >= 100 && bt >= 100 && a >= 0.98 * at && b >= 0.98 * bt) }' && ok=1 || ok=0
check $ok "real guest, patched: perf script gives load_a's samples vCPU 0 ($1 of $2) and load_b's vCPU 1 ($3 of $4)"
tg() { awk '{ sub(/^[ |-]*([0-9.]+%--)?-*/, ""); if ($1 ~ /^[a-z_]/ && NF == 1) printf "%s%s", n++ ? " " : "", $1 }
	END { print "" }' "$dir/$1.task-chain" 2>/dev/null; }
# Every branch is printed (threshold 0): one where spin_a shows twice (a
# sample in its prologue, before its frame record) may follow.
g=$(tg patched)
echo "$g" | grep -qE '(^| )task_main work_a spin_a( |$)' && ok=1 || ok=0
check $ok "real guest, patched: perf kvm --guest report -g: load_a's user call graph into spin_a (got: ${g:-none})"
gn=$(tval patched tasks g) gc=$(tval patched tasks clear) gk=$(tval patched tasks-nok g)
[ "${gn:-0}" -ge 100 ] && [ "${gc:-0}" -gt 0 ] && [ "${gk:-1}" = 0 ] && ok=1 || ok=0
check $ok "real guest, patched: [g] names from --guestkallsyms by guest task (${gn:-0} samples, __clear_user under linux_guest_load ${gc:-0}), none from the host's kallsyms without it (${gk:-none})"
no=$(tval patched tasks-off named) oo=$(tval patched tasks-off own) oc=$(tval patched tasks-off crossed)
awk -v n="${no:-0}" -v o="${oo:-0}" -v c="${oc:-100}" 'BEGIN { exit !(n < 90 || o < 60 || c > 2) }' && ok=1 || ok=0
check $ok "real guest, patched, negative control: with the guest's times 1 s off the rules fail (${no:-0}% named, ${oo:-0}% under their own task, ${oc:-100}% of the loops' under another)"
# Without --guest-tasks nothing changes for a user of the injected
# data: no sample is given a guest task.
set -- $(tstat patched tasks-plain fn spin_a) 0 0; pa=$2
set -- $(tstat patched tasks-plain fn spin_b) 0 0; pb=$2
set -- $(tstat patched tasks-plain u) 0 0
[ "$1" -ge 200 ] && [ "$(tval patched tasks-plain own)" = 0.0 ] && [ "$pa" = 0 ] && [ "$pb" = 0 ] && ok=1 || ok=0
check $ok "real guest, patched, the same data without --guest-tasks: none of its $1 [u] samples under a guest task (spin_a $pa, spin_b $pb)"
bare=$(awk '$1 == "sym" && $3 == "[u]" && $4 !~ /^0x/' "$dir/patched.linux" 2>/dev/null | wc -l)
[ "$bare" = 0 ] && [ "$(lshare patched u)" != 0.00 ] && ok=1 || ok=0
check $ok "real guest, patched, without the guest's sideband: no [u] sample named ($bare [u] symbols)"

