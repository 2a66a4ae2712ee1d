#!/usr/bin/awk -f
# Read the "perf kvm report -n --sort comm,pid,dso,sym" output between
# "@@ start STEP" and the next "@@" line of a console log and print one
# line an entry:
#   task LEVEL SAMPLES PID COMM DSO SYM
# LEVEL is k . g or u, COMM has its blanks as "_", SYM is perf's name
# or a bare address.  Variable: step=NAME.
$1 == "@@" { on = $2 == "start" && $3 == step; next }
on && $1 ~ /^[0-9.]+%$/ && $2 ~ /^[0-9]+$/ {
	for (i = 3; i <= NF && $i !~ /^\[[kgu.]\]$/; i++)
		;
	if (i > NF || i < 6)
		next
	for (j = 3; j < i - 1 && $j !~ /^[0-9]+:/; j++)
		;
	if (j >= i - 1)
		next
	comm = $3
	for (c = 4; c < j; c++)
		comm = comm "_" $c
	pid = $j
	sub(/:.*/, "", pid)
	print "task", substr($i, 2, 1), $2, pid, comm, $(i - 1), $(i + 1)
}
