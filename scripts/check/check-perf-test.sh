#!/bin/sh
# Check the results of perf's own tests (config/perf-test.plan) with the
# base tree's perf and the series' perf, on the series' kernel:
#  - the series' new shell tests (the tests whose description names a
#    guest) fail with the base's perf and pass with the series';
#  - every other test has the same result with both;
#  - a test that does not pass with either is in config/perf-test.known,
#    whose reason is printed; one that is not fails the check.
# usage: check-perf-test.sh LOG
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
log=$1
known=$top/config/perf-test.known

# "STEP<TAB>DESCRIPTION<TAB>RESULT" for each test perf test ran.
results=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log" 2>/dev/null | awk '
	$1 == "@@" && $2 == "start" { step = $3; next }
	$1 == "@@" { step = ""; next }
	step != "" && match($0, /^ *[0-9.]+: /) && match($0, /: (Ok|FAILED!|Skip)( .*)?$/) {
		line = $0
		sub(/^ *[0-9.]+: /, "", line)
		res = line; sub(/^.*: /, "", res); sub(/ .*/, "", res)
		sub(/ *: (Ok|FAILED!|Skip)( .*)?$/, "", line)
		printf "%s\t%s\t%s\n", step, line, res
	}')

n() { echo "$results" | awk -F '\t' -v s="$1" -v r="$2" '$1 == s && $3 == r' | grep -c . || true; }
for s in base series; do
	t=$(echo "$results" | awk -F '\t' -v s="perftest_$s" '$1 == s' | grep -c . || true)
	[ "$t" -ge 10 ] && ok=ok || ok="not ok"
	case $s in base) who="the base's" ;; *) who="the series'" ;; esac
	echo "$ok - perf test with $who perf ran $t tests: $(n "perftest_$s" Ok) ok, $(n "perftest_$s" FAILED!) failed, $(n "perftest_$s" Skip) skipped"
done

echo "$results" | awk -F '\t' -v known="$known" '
	BEGIN {
		while ((getline l < known) > 0) {
			if (l ~ /^#/ || l == "") continue
			split(l, f, "\t"); why[f[1]] = f[2]
		}
	}
	$1 == "perftest_base" { base[$2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
	$1 == "perftest_series" { series[$2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
	# perf test cuts a long description: match a known one by its start.
	function reason(d,   k) {
		for (k in why)
			if (index(k, d) == 1) return why[k]
		return ""
	}
	END {
		for (i = 1; i <= n; i++) {
			d = order[i]; b = (d in base) ? base[d] : "none"; s = (d in series) ? series[d] : "none"
			if (d ~ /guest/) {
				newt++
				if (b == "FAILED!" && s == "Ok") newok++
				else printf "# new test \"%s\": base %s, series %s\n", d, b, s
				continue
			}
			if (b != s) {
				diff++
				printf "# \"%s\": base %s, series %s\n", d, b, s
				continue
			}
			if (s == "Ok") continue
			r = reason(d)
			if (r == "") {
				unexplained++
				printf "# \"%s\": %s with both, and not in config/perf-test.known\n", d, s
			} else {
				both++
				printf "# \"%s\": %s with both: %s\n", d, s, r
			}
		}
		printf "%s - perf test: the series'"'"' %d new tests fail with the base'"'"'s perf and pass with the series'"'"' (%d of %d)\n",
			(newt == 4 && newok == 4) ? "ok" : "not ok", newt, newok, newt
		printf "%s - perf test: the other tests give the same result with the base'"'"'s and the series'"'"' perf (%d differ)\n",
			(diff == 0 && n > newt) ? "ok" : "not ok", diff
		printf "%s - perf test: each test that does not pass with either perf is explained by the host (%d listed, %d unexplained)\n",
			(unexplained == 0) ? "ok" : "not ok", both, unexplained
	}'
