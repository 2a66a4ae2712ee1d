#!/bin/sh
# The whole upstream riscv KVM selftest suite of the tree under sampling
# (config/suite.plan for 6.12, config/suite-7.3.plan): boot the base kernel and the series with it, and
# check that each test ends the same on both (a rerun of arch_timer is
# counted, not hidden), that each passes or skips as it does on the base,
# and that the system-wide perf session beside them recorded samples
# and ended: its figures (samples, lost records, guest samples) are
# printed for both kernels.
# One "ok - ..." or "not ok - ..." line a check; logs are
# build/TREE/logs/suite-KERNEL.log.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
plan=$suite_plan

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t { print $4 }' "$1"
}
figures() { sed -n 's/^@@ sampler-figures //p' "$1"; }

PLATFORM=${platforms%% *} QEMU_MEM=2G "$s/boot/boot-kernels.sh" -q -k "base patched" "$plan" suite >&2
bl=$b/logs/suite-base.log pl=$b/logs/suite-patched.log

for t in $(awk '!/^#/ && NF >= 3 && $1 !~ /^sampler_/ { print $1 }' "$plan"); do
	rb=$(result "$bl" "$t") rp=$(result "$pl" "$t")
	nb=$(grep -c "^@@ retry $t " "$bl" || true)
	np=$(grep -c "^@@ retry $t " "$pl" || true)
	# A test of base_fails (scripts/tree/env.sh) catches the base's bug.
	case " $base_fails " in
	*" $t "*) [ "$rb" = fail ] && [ "$rp" != fail ] && [ -n "$rp" ] && ok=1 || ok=0
		why=", which the series fixes" ;;
	*) [ -n "$rb" ] && [ "$rb" = "$rp" ] && [ "$rb" != fail ] && ok=1 || ok=0
		why= ;;
	esac
	check $ok "suite under sampling, $t: ${rb:-none} on the base$why ($nb reruns), ${rp:-none} on the series ($np reruns)"
	[ $ok = 1 ] || for l in "$bl" "$pl"; do
		# What the test said when it failed, to be read in the output.
		sed -n "/^@@ start $t\$/,/^@@ result $t /p" "$l" |
			grep -E 'FAIL|Assertion|assert|not ok|rc=' | head -n 6 |
			sed "s|^|#   $(basename "$l" .log): |"
	done
done
for k in base patched; do
	l=$b/logs/suite-$k.log
	[ "$(result "$l" sampler_start)" = pass ] && [ "$(result "$l" sampler_stop)" = pass ] &&
		ok=1 || ok=0
	check $ok "suite under sampling, $k kernel: perf kvm --host --guest record -a -g of cycles and cpu-clock at 500 Hz ran across the suite: $(figures "$l")"
done
