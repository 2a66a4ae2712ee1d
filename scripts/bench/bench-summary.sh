#!/bin/sh
# The tables of make bench from its console logs (build/logs/bench-*.log,
# bench-exit-*.log, tp1-*.log, tp2-*.log), and the accuracy chart.
# usage: bench-summary.sh LOGDIR OUTDIR
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$1 out=$2
shares=$top/scripts/demo/report-shares.awk

# The value of KEY on the "@@ bench" line of STEP in LOG.
val() { # val LOG STEP KEY
	awk -v step="$2" -v key="$3" '
		$1 == "@@" && $2 == "start" { on = $3 == step; next }
		on && $1 == "@@" && $2 == "bench" {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) print kv[2] }
		}' "$1"
}
diff1() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%+.1f", b - a }'; }

echo "Exit path: guest time of an SBI call that KVM answers in the kernel,"
echo "in ns, that is instructions under -icount shift=0 (1 s of calls):"
printf '  %-34s %14s %16s\n' kernel "no session" "cycles at 1 kHz"
for k in base patched; do
	printf '  %-34s %14s %16s\n' "$k" "$(val "$logs/bench-$k.log" exit_idle ns_per_call)" \
		"$(val "$logs/bench-$k.log" exit_sampled ns_per_call)"
done
printf '  %-34s %14s %16s\n' "series - base" \
	"$(diff1 "$(val "$logs/bench-base.log" exit_idle ns_per_call)" "$(val "$logs/bench-patched.log" exit_idle ns_per_call)")" \
	"$(diff1 "$(val "$logs/bench-base.log" exit_sampled ns_per_call)" "$(val "$logs/bench-patched.log" exit_sampled ns_per_call)")"
for k in base-perf-off patched-perf-off; do
	printf '  %-34s %14s\n' "$k (PERF_EVENTS=n)" "$(val "$logs/bench-exit-$k.log" exit_idle ns_per_call)"
done
printf '  %-34s %14s\n' "series - base, PERF_EVENTS=n" \
	"$(diff1 "$(val "$logs/bench-exit-base-perf-off.log" exit_idle ns_per_call)" "$(val "$logs/bench-exit-patched-perf-off.log" exit_idle ns_per_call)")"

echo
echo "Sample path: the host's time a cycles sample taken in a guest kernel"
echo "spin (1 kHz, 1 s), in ns = instructions: (lost time - lost time"
echo "without sampling) / samples:"
for k in base patched; do
	l=$logs/bench-$k.log
	idle=$(val "$l" spin_idle lost_ns)
	for t in spin_1k spin_1k_chain; do
		awk -v k="$k" -v t="$t" -v idle="$idle" -v lost="$(val "$l" "$t" lost_ns)" \
			-v n="$(val "$l" "$t" samples)" 'BEGIN {
			printf "  %-8s %-15s %6d samples, %8.0f ns a sample\n", k,
				t == "spin_1k" ? "no callchain" : "with callchain", n,
				n ? (lost - idle) / n : 0 }'
	done
done

echo
echo "Accuracy: perf kvm --host --guest record of the mixed workload (0.5 s"
echo "each of a guest kernel loop, a guest user loop, SBI calls and a host"
echo "user loop, under -icount), each class's share against the truth the"
echo "loops count, in percentage points:"
printf '  %-8s %-16s %5s   %-22s %-22s %-22s %-22s\n' kernel recording samples \
	"[g] truth/perf/diff" "[u]" "[k]" "[.]"
: > "$out/accuracy.dat"
for k in base patched; do
	l=$logs/bench-$k.log
	for r in cycles_1k clock_1k clock_4k; do
		truth=$(awk -v step="mix_$r" '$1 == "@@" && $2 == "start" { on = $3 == step; next }
			on && $1 == "@@" && $2 == "truth" { print; exit }' "$l")
		samples=$(awk -v step="mix_${r}_report" '$1 == "@@" && $2 == "start" { on = $3 == step; next }
			on && /^# Samples:/ { print $3; exit }' "$l")
		gawk -v step="mix_${r}_report" -f "$shares" "$l" |
			awk -v k="$k" -v r="$r" -v truth="$truth" -v n="${samples:-0}" -v dat="$out/accuracy.dat" '
			$1 == "level" { p[$2] = $3 }
			END {
				split(truth, f, " ")
				for (i = 1; i <= length(f); i++) { split(f[i], kv, "="); t[kv[1]] = kv[2] }
				tot = t["g"] + t["u"] + t["k"] + t["hu"]
				line = sprintf("  %-8s %-16s %5s", k, r, n)
				split("g u k .", cls, " "); split("g u k hu", key, " ")
				for (c = 1; c <= 4; c++) {
					tr = tot ? 100 * t[key[c]] / tot : 0
					line = line sprintf("   %5.1f/%5.1f/%+5.1f    ", tr, p[cls[c]], p[cls[c]] - tr)
					if (k == "patched")
						printf "%s %s %.2f %.2f\n", r, cls[c], tr, p[cls[c]] >> dat
				}
				print line
			}'
	done
done

echo
echo "Throughput without -icount: SBI calls a second of guest time, median"
echo "of 10 runs a kernel (5 a boot, boots of the base and the series"
echo "interleaved):"
for k in base patched; do
	cat "$logs/tp1-$k.log" "$logs/tp2-$k.log" |
		awk '$1 == "@@" && $2 == "bench" { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "calls") print kv[2] } }' |
		sort -n | awk -v k="$k" '{ v[NR] = $1 } END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "  %-8s %d runs, median %d calls/s (min %d, max %d)\n", k, NR, m, v[1], v[NR]
			print m > "/dev/stderr" }' 2>> "$out/tp.dat"
done
awk 'NR == 1 { b = $1 } NR == 2 { p = $1 } END { if (b) printf "  series / base: %.3f\n", p / b }' "$out/tp.dat"
rm -f "$out/tp.dat"

# The chart: truth and profile of each class, for the series.
if command -v gnuplot >/dev/null 2>&1 && [ -s "$out/accuracy.dat" ]; then
	awk '{ printf "\"%s %s\" %s %s\n", $1, $2, $3, $4 }' "$out/accuracy.dat" > "$out/accuracy.plot"
	gnuplot <<EOP
set terminal png size 1100,500
set output "$out/accuracy.png"
set title "perf kvm profile of the mixed workload against the truth (series, -icount)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "share of samples / of time (%)"
set yrange [0:60]
set xtics rotate by -45
plot "$out/accuracy.plot" using 2:xtic(1) title "truth", '' using 3 title "profile"
EOP
	echo
	echo "Chart: build/bench/accuracy.png"
fi
