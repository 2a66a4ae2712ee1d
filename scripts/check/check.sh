#!/bin/sh
# make check: the checks of both series, each on its own tree
# (scripts/check/check-tree.sh): first the mainline series on 7.3, then
# the 6.12 backport.  Each check line says its tree; ends with the TAP
# plan and "N passed, N failed", and exits non-zero on any failure.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
s=$top/scripts
res=$top/build/results
mkdir -p "$top/build"
: > "$res"
for t in 7.3 6.12; do
	echo "==> the $t tree"
	mkdir -p "$top/build/$t/logs"
	rm -f "$top/build/$t/logs/results"
	if ! TREE=$t "$s/check/check-tree.sh"; then
		echo "not ok - check-tree.sh stopped" > "$top/build/$t/logs/results.stopped"
	fi
	cat "$top/build/$t/logs/results" "$top/build/$t/logs/results.stopped" 2>/dev/null |
		sed -E "s/^(not )?ok - /&[$t] /" >> "$res"
	rm -f "$top/build/$t/logs/results.stopped"
done

echo "==> times of the steps, in seconds (build/TREE/logs/times)"
for t in 7.3 6.12; do
	awk -v t="$t" '{ s += $2; printf "%s %s %d\n", t, $1, $2 } END { printf "%s total %d\n", t, s }' \
		"$top/build/$t/logs/times" 2>/dev/null || true
done
echo "==> results"
echo "TAP version 13"
awk '/^ok -/ { sub(/^ok -/, "ok " ++n " -"); p++ }
	/^not ok -/ { sub(/^not ok -/, "not ok " ++n " -"); f++ }
	{ print }
	END { print "1.." n; print p + 0 " passed, " f + 0 " failed"; exit f > 0 }' \
	"$res"
