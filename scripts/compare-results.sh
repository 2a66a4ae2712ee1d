#!/bin/sh
# Read the "@@ result" lines of a base and a patched boot log and check
# them against what the series promises: one "ok - ..." or
# "not ok - ..." line a check.
# usage: compare-results.sh BASE.log PATCHED.log PLAN
set -eu

base=$1 patched=$2 plan=$3
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
check "$(done_ok "$patched")" "patched kernel boots and runs the plan"
check "$(no_warn "$base")" "base kernel log has no warning, oops or panic"
check "$(no_warn "$patched")" "patched kernel log has no warning, oops or panic"

r=$(result "$base" $new_test)
[ "$r" = "fail rc=1" ] && ok=1 || ok=0
check $ok "$new_test fails on the base kernel (got: $r)"
r=$(result "$patched" $new_test)
[ "$r" = pass ] && ok=1 || ok=0
check $ok "$new_test passes on the patched kernel (got: $r)"

for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$plan"); do
	[ "$t" = $new_test ] && continue
	rb=$(result "$base" "$t") rp=$(result "$patched" "$t")
	case "$rp" in pass|skip) good=1 ;; *) good=0 ;; esac
	[ "$rb" = "$rp" ] && [ $good = 1 ] && ok=1 || ok=0
	check $ok "$t gives the same result on both kernels (base: $rb, patched: $rp)"
done
