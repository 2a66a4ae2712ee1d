#!/bin/sh
# Build the patched tree in more configurations than the main one, each
# from tinyconfig plus config/kvm-host.config plus fragments of
# config/matrix/, and for x86_64; compare text sizes with bloat-o-meter.
# KVM=m with clang and BPF is the debug kernel of check-debug.sh.
# PERF_EVENTS=n and x86_64 compile the directories where the series
# changes code, not the whole kernel.
# One "ok - ..." or "not ok - ..." line a check; figures go to
# build/figures/.  Objects are kept in build/obj/ between runs.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
main=$top/config/kvm-host.config
fig=$b/figures
mkdir -p "$fig"

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
build() { # build NAME SRC FRAGMENT[,FRAGMENT...]|- [MAKE-VAR...]
	name=$1 src=$2 frags=$3 frag=
	shift 3
	[ "$frags" = - ] && frags=
	for f in $(echo "$frags" | tr , ' '); do
		frag="$frag $top/config/matrix/$f.config"
	done
	echo "==> building $name (log: build/$TREE/obj/$name/build.log)" >&2
	# shellcheck disable=SC2086
	"$s/build/build-kernel.sh" "$src" "$b/obj/$name" "$main" $frag -- "$@" >&2 &&
		echo 1 || echo 0
}

# KVM=n, and the base the same way for the size comparison below: one
# object directory, the base built incrementally after the series.
# The code that must cost nothing without GUEST_PERF_EVENTS is the guest
# profiling: measure against the base with the series' SBI PMU driver
# fix (its last patch to drivers/perf/), which is not guest code.
fix=$(git -C "$b/linux" log -1 --format=%H base..series -- drivers/perf/)
"$s/build/build-walk.sh" "$b/obj/kvm-off" "$main $top/config/matrix/kvm-off.config" \
	kvm-off=series base-kvm-off="${fix:-base}" >&2 || true
[ "$(cat "$b/kernels/kvm-off/status" 2>/dev/null)" = ok ] && ok=1 || ok=0
check $ok "builds with KVM=n, PERF_EVENTS=y (GUEST_PERF_EVENTS=n)"
# arch/*/kvm/ builds virt/kvm/ too.
check "$(export TARGETS="kernel/ arch/riscv/kvm/"; build perf-off "$b/linux" perf-off)" \
	"compiles kernel/ and arch/riscv/kvm/ (with virt/kvm/) with PERF_EVENTS=n"

# The series changes perf core, where an architecture that keeps its own
# perf_misc_flags() takes the other branch: build x86_64 with perf and
# KVM (GUEST_PERF_EVENTS=y) as well.
echo "==> building x86 (log: build/$TREE/obj/x86/build.log)" >&2
TARGETS="kernel/events/ arch/x86/kvm/ arch/x86/events/" KARCH=x86_64 \
	"$s/build/build-kernel.sh" "$b/linux" "$b/obj/x86" "$top/config/x86-host.config" >&2 &&
	ok=1 || ok=0
check $ok "compiles kernel/events/, arch/x86/kvm/ (with virt/kvm/) and arch/x86/events/ for x86_64 with PERF_EVENTS and KVM (GUEST_PERF_EVENTS=y)"

# What the series costs in text, and that without GUEST_PERF_EVENTS it
# costs nothing: the base built the same way must give the same code.
k=$b/kernels
bom=$b/linux/scripts/bloat-o-meter
if [ "$(cat "$k/base-kvm-off/status" "$k/kvm-off/status" 2>/dev/null)" = "ok
ok" ] && [ -f "$k/base/vmlinux" ] && [ -f "$k/patched/vmlinux" ]; then
	"$bom" -t "$k/base/vmlinux" "$k/patched/vmlinux" > "$fig/bloat-main.txt"
	"$bom" -t "$k/base-kvm-off/vmlinux" "$k/kvm-off/vmlinux" > "$fig/bloat-kvm-off.txt"
	for o in base patched base-kvm-off kvm-off; do
		printf '%s ' "$o"
		riscv64-linux-gnu-size "$k/$o/vmlinux" | tail -1
	done > "$fig/size.txt"
	total=$(grep '^Total:' "$fig/bloat-main.txt" || true)
	check 1 "bloat-o-meter -t base -> patched vmlinux: ${total:-no total}"
	zero=$(head -1 "$fig/bloat-kvm-off.txt")
	case "$zero" in
	*"add/remove: 0/0 grow/shrink: 0/0 up/down: 0/0 (0)"*) ok=1 ;;
	*) ok=0 ;;
	esac
	check $ok "GUEST_PERF_EVENTS=n: the series adds no code but the SBI PMU driver's throttle fix (bloat-o-meter against the base with that fix: $zero)"
else
	check 0 "bloat-o-meter: a vmlinux is missing (build/$TREE/kernels/base-kvm-off, kvm-off)"
fi
