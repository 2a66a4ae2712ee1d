#!/bin/sh
# Read the "@@ result" lines of the boot logs of the tree's kernels (TREE,
# scripts/tree/env.sh: base, on 6.12 the series with the naive
# attribution fixture, and the whole series, patched) and check them
# against what the series promises: one "ok - ..." or "not ok - ..."
# line a check.  On 7.3 the base has mainline's attribution, which the
# naive fixture models on 6.12: it takes the fixture's part.
# usage: compare-results.sh LOGPREFIX PLAN ICOUNT.log|-
# (LOGPREFIX-KERNEL.log; ICOUNT.log: the patched kernel under QEMU
# -icount shift=0, or - for none)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
prefix=$1 plan=$2 icount=$3
base=$prefix-base.log patched=$prefix-patched.log
case $tree_kernels in
*naive*) naive=$prefix-naive.log nv=naive ;;
*) naive=$base nv=base ;;
esac
where=$(basename "$prefix")
# The series' selftests: samples tagged guest or host, and guest
# callchains.
tag_test=perf_guest_test chain_test=perf_guest_callchain_test
new_tests="$tag_test $chain_test"
# The series' checks of sampling throttle: they fail on the base, whose
# SBI PMU driver ignores throttling, and pass on every kernel with the
# series' fix.
throttle_tests="throttle_test throttle_vm"

check() { # check OK DESCRIPTION
	if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi
}

# result LOG NAME: "pass", "fail rc=N", "skip" or "missing"
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t {
		r = $4; if (r == "fail") r = r " " $5; print r; found = 1 }
		END { if (!found) print "missing" }' "$1" 2>/dev/null || echo missing
}

# reruns LOG NAME: how many times init reran a flaky upstream test.
reruns() { n=$(grep -c "^@@ retry $2 " "$1" 2>/dev/null) || true; echo "${n:-0}"; }

done_ok() { [ -f "$1" ] && grep -q '^@@ done' "$1" && echo 1 || echo 0; }
# Kernel messages only: they carry a timestamp.  Those of the real Linux
# guest (shown by init/qemu-guest.sh as "guest| ...") count too.
no_warn() {
	[ -f "$1" ] &&
		! grep -qE '^(guest\| )?\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|Call Trace|cut here)' "$1" &&
		echo 1 || echo 0
}

for k in $tree_kernels; do
	check "$(done_ok "$prefix-$k.log")" "$where: $k kernel boots and runs the plan"
	check "$(no_warn "$prefix-$k.log")" "$where: $k kernel log has no warning, oops or panic"
done

# why_failed LOG TEST: the first lines of what TEST said of its failed
# checks, so that a failure can be read from make check's output.
why_failed() {
	sed -n "/^@@ start $2\$/,/^@@ result $2 /{
		/^not ok /p
		/^# .*, want /p
	}" "$1" | head -n 8 | sed 's/^/#   /'
}

# expect LOG TEST RESULT WHAT: TEST's result in LOG is RESULT.
expect() {
	r=$(result "$1" "$2")
	[ "$r" = "$3" ] && ok=1 || ok=0
	check $ok "$where: $2 $4 (got: $r)"
	[ $ok = 1 ] || why_failed "$1" "$2"
}

# spins_again LOG TEST: the spins a test ran again because the guest
# barely ran in them (perf_guest_test).
spins_again() {
	n=$(sed -n "/^@@ start $2\$/,/^@@ result $2 /p" "$1" | grep -c ': run again, its samples dropped$') || true
	echo "${n:-0}"
}
for t in $new_tests; do
	expect "$base" $t "fail rc=1" "fails on the base kernel"
	what="passes on the patched kernel"
	[ $t = perf_guest_test ] && what="$what ($(spins_again "$patched" $t) spins run again)"
	expect "$patched" $t pass "$what"
done
# The guest time offset in KVM's debugfs: the test skips where KVM has
# no time-offset file, as on the base, and every kernel with the series
# must pass it.
offset_test=time_offset_test
for k in $tree_kernels; do
	if [ $k = base ]; then
		expect "$base" $offset_test skip "skips on the base kernel, whose KVM has no time-offset file"
	else
		expect "$prefix-$k.log" $offset_test pass "passes on the $k kernel"
	fi
done
# throttle_figures LOG TEST: what the test measured.
throttle_figures() {
	sed -n "/^@@ start $2\$/,/^@@ result $2 /{
		s/^# \([0-9]* throttles, [0-9]* unthrottles, [0-9]* samples while throttled\).*/\1/p
		s/^# limit .*: \([0-9]* samples, [0-9]*\)\/s.*/\1 samples\/s/p
		s/^@@ throttle-vm .*share=\([0-9.]*\) .*samples_per_s=\([0-9]*\) throttles=\([0-9]*\) unthrottles=\([0-9]*\) inside=\([0-9]*\).*/guest share \1%, \2 samples\/s, \3 throttles, \4 unthrottles, \5 samples while throttled/p
	}" "$1" | awk '{ printf "%s%s", n++ ? "; " : "", $0 }'
}
for t in $throttle_tests; do
	for k in $tree_kernels; do
		want=pass what="passes on the $k kernel"
		[ $k = base ] && want="fail rc=1" what="fails on the base kernel"
		expect "$prefix-$k.log" $t "$want" "$what: $(throttle_figures "$prefix-$k.log" $t)"
	done
done
if [ "$icount" != - ]; then
	expect "$icount" $tag_test pass "passes on the patched kernel under -icount shift=0, storm floor 90%, $(reruns "$icount" $tag_test) reruns"
	check "$(no_warn "$icount")" "patched kernel log under -icount has no warning, oops or panic"
fi

# subtests LOG TEST: the TAP lines of a test in a log.
subtests() {
	awk -v t="$2" '$1 == "@@" && $3 == t { on = ($2 == "start") }
		on && /^(not )?ok [0-9]/' "$1" 2>/dev/null || true
}
# The checks the attribution rules make pass: the exit storm is host
# time, and an event that excludes the guest gets no guest sample and
# the host's callchain.
rules='storm is host kernel time|exclude_guest:'

# On the base kernel, exactly the checks that need guest samples fail
# (on 7.3, whose base tags guest samples, those that need guest
# callchains).
needs_guest='tagged guest|no host frames in guest|: callchains '
chains='no host frames in guest|: callchains |guest time has the host'
base_tests=$new_tests
[ $nv = base ] && base_tests=$chain_test
for t in $base_tests; do
	tap=$(subtests "$base" $t)
	guest=$(echo "$tap" | grep -cE "^not ok .*($needs_guest)" || true)
	other=$(echo "$tap" | grep '^not ok' | grep -cvE "$needs_guest" || true)
	[ "$guest" -gt 0 ] && [ "$other" = 0 ] && ok=1 || ok=0
	check $ok "$where: $t on the base kernel fails its guest-sample checks only ($guest guest-sample, $other other failures)"
done

# With the naive attribution, exactly the checks of the rules fail (on
# 7.3's base also those of guest callchains, which it lacks), the exit
# storm's among them; the callchains of the samples the naive fixture
# tags guest are right.
# 7.3's base: also its spin checks, which are mainline's tagging, not
# the series', and fail when the loaded host lets the guest run less
# than a quarter of a spin, the test's floor (seen once: "the guest ran
# only 0% of the time").
allowed=$rules
[ $nv = base ] && allowed="$rules|$chains|tagged guest"
tap=$(subtests "$naive" $tag_test)
storm=$(echo "$tap" | grep -cE "^not ok .*storm is host kernel time" || true)
ruled=$(echo "$tap" | grep -cE "^not ok .*($allowed)" || true)
other=$(echo "$tap" | grep '^not ok' | grep -cvE "$allowed" || true)
[ "$storm" -gt 0 ] && [ "$other" = 0 ] && ok=1 || ok=0
check $ok "$where: $tag_test with the $nv kernel's attribution fails its exit-storm checks ($storm), and only those of the rules$([ $nv = base ] && echo ", guest callchains and spins") ($ruled in all, $other other failures)"
if [ $nv = naive ]; then
	expect "$naive" $tag_test "fail rc=1" "fails on the naive-attribution kernel"
	expect "$naive" $chain_test pass "passes on the naive-attribution kernel, which tags the spins as the series does"
fi

# The real guest's steps that need its time offset, which QEMU's start
# script reads from the series' time-offset in KVM's debugfs: on the
# base the record ends in the script's failure and the injection, and
# every step of its output, fails.
offset_steps="linux_record linux_inject linux_inject_off linux_task_report linux_task_plain linux_task_chain linux_task_script linux_task_nokallsyms linux_task_report_off"
for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$plan"); do
	case " $new_tests $throttle_tests $offset_test " in *" $t "*) continue ;; esac
	rb=$(result "$base" "$t") rn=$(result "$naive" "$t") rp=$(result "$patched" "$t")
	case " $offset_steps " in *" $t "*)
		case $rb in fail*) ok=1 ;; *) ok=0 ;; esac
		# The base's guest runs to its end; only the offset is missing.
		[ $t = linux_record ] && ! { grep -q '^qemu-guest: the guest powered off after' "$base" &&
			grep -q "^qemu-guest: no time-offset in KVM's debugfs" "$base"; } && ok=0
		[ "$rp" = pass ] && { [ $nv = base ] || [ "$rn" = pass ]; } || ok=0
		check $ok "$where: $t fails on the base kernel, whose KVM shows QEMU no time-offset, and passes on the others (base: $rb,$([ $nv = naive ] && echo " naive: $rn,") patched: $rp)"
		continue ;;
	esac
	case $rp in pass|skip) good=1 ;; *) good=0 ;; esac
	# A test of base_fails (scripts/tree/env.sh) catches the base's bug.
	same=$rp
	case " $base_fails " in *" $t "*) case $rb in fail*) same=$rb ;; *) same=none ;; esac ;; esac
	[ "$rb" = "$same" ] && [ "$rn" = "$rp" ] && [ $good = 1 ] && ok=1 || ok=0
	what="gives the same result on all kernels"
	case " $base_fails " in *" $t "*) what="fails on the base, whose bug it catches, and gives the same result on the others" ;; esac
	check $ok "$where: $t $what (base: $rb,$([ $nv = naive ] && echo " naive: $rn,") patched: $rp)"
	xb=$(reruns "$base" "$t") xn=$(reruns "$naive" "$t") xp=$(reruns "$patched" "$t")
	[ "$xb$xn$xp" = 000 ] ||
		echo "# $t was rerun after a failure: base $xb, naive $xn, patched $xp times"
	total_reruns=$((${total_reruns:-0} + xb + xn + xp))
done
# Only upstream tests known to flake may be rerun, never the series'.
r=0
for t in $new_tests; do
	r=$((r + $(reruns "$base" $t) + $(reruns "$naive" $t) + $(reruns "$patched" $t)))
done
[ "$r" = 0 ] && ok=1 || ok=0
check $ok "$where: $tag_test and $chain_test are never rerun; upstream tests were rerun ${total_reruns:-0} times in all"
