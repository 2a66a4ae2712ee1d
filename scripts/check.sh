#!/bin/sh
# make check: build everything, boot the base and the patched kernel as
# KVM hosts with the KVM selftests and the perf demo, and check that the
# new test fails on the base and passes with the series, that the other
# tests give the same result on both, that perf shows guest samples only
# with the series, and that every patch is checkpatch clean.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
s=$top/scripts

"$s/build-all.sh"
cat "$top/config/tests.plan" "$top/config/demo.plan" > "$b/check.plan"
"$s/boot-kernels.sh" "$b/check.plan" check

echo "==> checking the series with checkpatch.pl --strict"
res=$b/logs/results
"$s/checkpatch-series.sh" "$b/linux" "$top/patches" > "$res"
"$s/compare-results.sh" "$b/logs/check-base.log" "$b/logs/check-nowin.log" \
	"$b/logs/check-patched.log" "$b/check.plan" >> "$res"
"$s/profile-summary.sh" "$b/logs/check" \
	"$b/demo/guest.kallsyms" "$b/demo/guest_workload" "$b/demo/check" > /dev/null
"$s/check-profile.sh" "$b/demo/check" >> "$res"

echo "==> results"
echo "TAP version 13"
awk '{ sub(/^ok -/, "ok " NR " -"); sub(/^not ok -/, "not ok " NR " -"); print }
	/^ok/ { p++ } /^not ok/ { f++ }
	END { print "1.." NR; print p + 0 " passed, " f + 0 " failed"; exit f > 0 }' \
	"$res"
