#!/usr/bin/gawk -f
# Read the "perf kvm report --sort dso,sym" output between "@@ start
# STEP" and "@@ result STEP" of a console log and print
#   level X PCT        share of each level: k . g u
#   sym PCT [X] NAME   one line a symbol, largest first
# with the names perf gave (a bare address where it had none).  With
# ustep=STEP2, the [u] symbols come from that step's report instead (the
# same recording, reported with perf kvm --guest-code); the shares stay
# those of STEP.
# Variables: step=NAME (default perf_report), ustep=NAME.
BEGIN {
	if (step == "")
		step = "perf_report"
	split("k . g u", lv, " ")
}
$1 == "@@" { on = $3 == step && $2 == "start"; uon = ustep != "" && $3 == ustep && $2 == "start"; next }
(on || uon) && $1 ~ /^[0-9.]+%$/ && $3 ~ /^\[.\]$/ {
	pct = substr($1, 1, length($1) - 1) + 0
	level = substr($3, 2, 1)
	if (on)
		share[level] += pct
	if (level == "u" && ustep != "" && on)
		next
	if (level != "u" && uon)
		next
	sym["[" level "] " $4] += pct
}
END {
	for (i = 1; i <= 4; i++)
		printf "level %s %.2f\n", lv[i], share[lv[i]]
	n = asorti(sym, keys, "@val_num_desc")
	for (i = 1; i <= n; i++)
		printf "sym %.2f %s\n", sym[keys[i]], keys[i]
}
