#!/bin/sh
# Read the "@@ result" lines of the boot logs of the base kernel, the
# series without the exit-window patch (nowin) and the whole series, and
# check them against what the series promises: one "ok - ..." or
# "not ok - ..." line a check.
# usage: compare-results.sh BASE.log NOWIN.log PATCHED.log PLAN
set -eu

base=$1 nowin=$2 patched=$3 plan=$4
new_test=perf_guest_test

check() { # check OK DESCRIPTION
	if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi
}

# result LOG NAME: "pass", "fail rc=N", "skip" or "missing"
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t {
		r = $4; if (r == "fail") r = r " " $5; print r; found = 1 }
		END { if (!found) print "missing" }' "$1" 2>/dev/null || echo missing
}

done_ok() { [ -f "$1" ] && grep -q '^@@ done' "$1" && echo 1 || echo 0; }
# Kernel messages only: they carry a timestamp.
no_warn() {
	[ -f "$1" ] &&
		! grep -qE '^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|Call Trace|cut here)' "$1" &&
		echo 1 || echo 0
}

check "$(done_ok "$base")" "base kernel boots and runs the plan"
check "$(done_ok "$nowin")" "kernel without the exit-window patch boots and runs the plan"
check "$(done_ok "$patched")" "patched kernel boots and runs the plan"
check "$(no_warn "$base")" "base kernel log has no warning, oops or panic"
check "$(no_warn "$nowin")" "kernel log without the exit-window patch has no warning, oops or panic"
check "$(no_warn "$patched")" "patched kernel log has no warning, oops or panic"

r=$(result "$base" $new_test)
[ "$r" = "fail rc=1" ] && ok=1 || ok=0
check $ok "$new_test fails on the base kernel (got: $r)"
r=$(result "$patched" $new_test)
[ "$r" = pass ] && ok=1 || ok=0
check $ok "$new_test passes on the patched kernel (got: $r)"

# Without the exit-window patch, exactly the exit-storm host-sample checks
# fail: every other subtest passes.
tap=$(awk -v t=$new_test '$1 == "@@" && $3 == t { on = ($2 == "start") }
	on && /^(not )?ok [0-9]/' "$nowin" 2>/dev/null || true)
storm=$(echo "$tap" | grep -c '^not ok .*storm has host kernel samples' || true)
other=$(echo "$tap" | grep '^not ok' | grep -vc 'storm has host kernel samples' || true)
[ "$storm" -gt 0 ] && [ "$other" = 0 ] && ok=1 || ok=0
check $ok "$new_test without the exit-window patch fails its exit-storm checks only ($storm storm, $other other failures)"

for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$plan"); do
	[ "$t" = $new_test ] && continue
	rb=$(result "$base" "$t") rn=$(result "$nowin" "$t") rp=$(result "$patched" "$t")
	case "$rp" in pass|skip) good=1 ;; *) good=0 ;; esac
	[ "$rb" = "$rp" ] && [ "$rn" = "$rp" ] && [ $good = 1 ] && ok=1 || ok=0
	check $ok "$t gives the same result on all kernels (base: $rb, nowin: $rn, patched: $rp)"
done
