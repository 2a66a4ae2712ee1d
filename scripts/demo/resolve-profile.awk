#!/usr/bin/gawk -f
# Read the "perf kvm report --sort dso,sym" output between "@@ start
# STEP" and "@@ result STEP" of a console log (STEP: perf_report unless
# step= says), resolve the addresses perf left bare ([u] guest user, and
# [.] in the workload: perf is built without libelf) from the workload's
# symbol table, and print
#   level X PCT        share of each level: k . g u
#   sym PCT [X] NAME   one line a symbol, largest first
# Variables: syms=FILE (nm -n style: ADDR TYPE NAME; /dev/null names
# nothing), base=LOAD_BIAS (hex), step=NAME.
function lookup(addr,    lo, hi, mid) {
	lo = 1; hi = nsym
	if (!nsym || addr < saddr[1])
		return ""
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (saddr[mid] <= addr) lo = mid; else hi = mid - 1
	}
	return sname[lo]
}
BEGIN {
	while ((getline line < syms) > 0) {
		split(line, f, " ")
		if (f[3] == "_text" || f[3] == "_stext")
			continue
		saddr[++nsym] = strtonum("0x" f[1]); sname[nsym] = f[3]
	}
	bias = strtonum(base)
	if (step == "")
		step = "perf_report"
	split("k . g u", lv, " ")
}
$1 == "@@" && $3 == step { on = $2 == "start"; next }
on && $1 ~ /^[0-9.]+%$/ && $3 ~ /^\[.\]$/ {
	pct = substr($1, 1, length($1) - 1) + 0
	level = substr($3, 2, 1)
	name = $4
	if (name ~ /^0x/) {
		addr = strtonum(name)
		if (level == "u")
			r = lookup(addr)
		else if (level == "." && $2 !~ /^\[/)
			r = lookup(addr + bias)
		else
			r = ""
		if (r != "")
			name = r
		else
			name = $2
	}
	share[level] += pct
	key = "[" level "] " name
	sym[key] += pct
}
END {
	for (i = 1; i <= 4; i++)
		printf "level %s %.2f\n", lv[i], share[lv[i]]
	n = asorti(sym, keys, "@val_num_desc")
	for (i = 1; i <= n; i++)
		printf "sym %.2f %s\n", sym[keys[i]], keys[i]
}
