#!/bin/sh
# Look for flakes: boot make check's plan on the tree's kernels N times
# (after make check's builds, reused) and check each round's results as
# make check does.  One line a round: checks passed and failed, and the
# reruns of upstream tests (each "@@ retry" line of the logs); the logs
# are build/logs/repeatR-KERNEL.log.  Exit 1 if a round failed a check.
# usage: check-repeat.sh N
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
n=${1:-}
case $n in
''|*[!0-9]*|0) echo "usage: check-repeat.sh N (N rounds, N >= 1)" >&2; exit 2 ;;
esac

for k in $tree_kernels; do
	[ -f "$b/kernels/$k/Image" ] || { echo "error: no $k kernel: run make check first" >&2; exit 1; }
done
cat "$top/config/tests.plan" "$top/config/demo.plan" > "$b/check.plan"
bad=0
r=1
while [ "$r" -le "$n" ]; do
	PLATFORM=${platforms%% *} "$s/boot/boot-kernels.sh" -q "$b/check.plan" "repeat$r" > /dev/null
	res=$("$s/check/compare-results.sh" "$b/logs/repeat$r" "$b/check.plan" -)
	ok=$(echo "$res" | grep -c '^ok') || true
	nok=$(echo "$res" | grep -c '^not ok') || true
	retries=$(cat "$b/logs/repeat$r"-*.log | grep -c '^@@ retry') || true
	echo "round $r: $ok passed, $nok failed, $retries reruns"
	echo "$res" | grep '^not ok' | sed 's/^/  /' || true
	[ "$nok" = 0 ] || bad=1
	r=$((r + 1))
done
exit $bad
