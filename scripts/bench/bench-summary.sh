#!/bin/sh
# The tables of make bench from its console logs (build/logs/bench-*.log,
# bench-exit-*.log, tp1-*.log, tp2-*.log), and the accuracy chart.
# usage: bench-summary.sh LOGDIR OUTDIR
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$1 out=$2

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
echo "spin costs the guest (1 kHz, 1 s), in ns = instructions: the mean,"
echo "(lost time - lost time without sampling) / samples, and the median"
echo "step of the spin (one a sample; the other hart's work adds steps to"
echo "both).  With callchains the base records the host's chain, the series"
echo "walks the guest's frame records:"
printf '  %-8s %-15s %8s %10s %12s\n' kernel "" samples "mean ns" "median ns"
for k in base patched; do
	l=$logs/bench-$k.log
	idle=$(val "$l" spin_idle lost_ns)
	for t in spin_1k spin_1k_chain; do
		awk -v k="$k" -v t="$t" -v idle="$idle" -v lost="$(val "$l" "$t" lost_ns)" \
			-v n="$(val "$l" "$t" samples)" -v med="$(val "$l" "$t" median_gap_ns)" 'BEGIN {
			printf "  %-8s %-15s %8d %10.0f %12s\n", k,
				t == "spin_1k" ? "no callchain" : "with callchain", n,
				n ? (lost - idle) / n : 0, med == "" ? "-" : med }'
	done
done

echo
echo "Accuracy: the mixed workload (0.5 s each of a guest kernel loop, a"
echo "guest user loop, SBI calls and a host user loop, under -icount)"
echo "sampled on its thread, guest included, as perf kvm --host --guest"
echo "record does; each class's share of the samples' periods (by cpumode,"
echo "as perf report weighs [g] [u] [k] [.]) against the truth, the split"
echo "the loops count in a run without a sampler, in percentage points."
echo "'cost': the sampler's own share of the sampled run, time no sampling"
echo "profile sees: host kernel time above the unsampled run's, so only"
echo "what it took from the guest phases (the host user loop is timed by"
echo "the clock, its share of that cost is not counted):"
printf '  %-8s %-18s %6s %5s   %-19s %-19s %-19s %-19s\n' kernel recording samples cost \
	"[g] truth/perf/diff" "[u]" "[k]" "[.]"
: > "$out/accuracy.dat"
# The value of KEY on the "@@ bench KIND" line of STEP in LOG.
line() { # line LOG STEP KIND
	awk -v step="$2" -v kind="$3" '
		$1 == "@@" && $2 == "start" { on = $3 == step; next }
		on && $1 == "@@" && $2 == "bench" && $3 == kind { print; exit }' "$1"
}
for k in base patched; do
	l=$logs/bench-$k.log
	none=$(line "$l" mix_none truth)
	for r in cycles_1k clock_1k cycles_max clock_max; do
		awk -v k="$k" -v r="$r" -v none="$none" -v truth="$(line "$l" "mix_$r" truth)" \
			-v prof="$(line "$l" "mix_$r" mix)" -v dat="$out/accuracy.dat" '
		function parse(str, arr,   f, i, kv) {
			split(str, f, " ")
			for (i = 4; i <= length(f); i++) { split(f[i], kv, "="); arr[kv[1]] = kv[2] }
		}
		BEGIN {
			parse(none, z); parse(truth, t); parse(prof, p)
			if (!("samples" in p) || !("k" in z)) { printf "  %-8s %-18s no figures\n", k, r; exit }
			tot = t["g"] + t["u"] + t["k"] + t["hu"]
			totz = z["g"] + z["u"] + z["k"] + z["hu"]
			cost = t["k"] - z["k"]; if (cost < 0) cost = 0
			line = sprintf("  %-8s %-18s %6d %4.1f%%", k, p["event"] " " p["hz"] " Hz", p["samples"],
				tot ? 100 * cost / tot : 0)
			split("g u k hu", key, " "); split("g u k .", cls, " ")
			for (c = 1; c <= 4; c++) {
				tr = totz ? 100 * z[key[c]] / totz : 0
				line = line sprintf("   %4.1f/%4.1f/%+5.1f  ", tr, p[key[c]], p[key[c]] - tr)
				printf "%s %s %s %.2f %.2f\n", k, r, cls[c], tr, p[key[c]] >> dat
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

# The chart: each class's truth (the series' unsampled run) and its
# share in the profile of the base and of the series, by recording.
if command -v gnuplot >/dev/null 2>&1 && [ -s "$out/accuracy.dat" ]; then
	awk '{
		key = $2 " [" $3 "]"
		if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
		if ($1 == "base") b[key] = $5; else { t[key] = $4; p[key] = $5 }
	}
	END {
		for (i = 1; i <= n; i++) {
			key = order[i]
			printf "\"%s\" %s %s %s\n", key, key in t ? t[key] : "NaN",
				key in b ? b[key] : "NaN", key in p ? p[key] : "NaN"
		}
	}' "$out/accuracy.dat" > "$out/accuracy.plot"
	gnuplot <<EOP
set terminal png size 1300,500 noenhanced
set output "$out/accuracy.png"
set title "Profile of the mixed workload against the truth (-icount)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "share of samples / of time (%)"
set yrange [0:100]
set xtics rotate by -45
plot "$out/accuracy.plot" using 2:xtic(1) title "truth", \\
	'' using 3 title "base 6.12", '' using 4 title "series"
EOP
	echo
	echo "Chart: build/$TREE/bench/accuracy.png"
fi
