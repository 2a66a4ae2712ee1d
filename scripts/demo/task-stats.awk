#!/usr/bin/awk -f
# Read a guest's task pids ("load_a PID", "load_b PID", as the guest
# printed them) and then a task-samples.awk file, and print
#   u N NAMED      [u] samples, and those perf gave a symbol
#   early N        [u] samples before the guest's perf record began (a
#                  command ":TID", a vCPU thread's own, no guest task):
#                  the guest's boot and its perf's own start-up
#   fn SYM N OK    samples of a guest task's function, and those under
#                  its own command (and guest pid, for load_a and load_b)
#   g NAMED        [g] samples with a symbol
#   clear N        [g] __clear_user samples under linux_guest_load's command
#   crossed PCT    the functions' samples not under their own task, in %
#   own PCT        the [u] samples of the functions under their own task
#   named PCT      the [u] samples with a symbol, in %, of those after
#                  the guest's perf record began
# usage: awk -f task-stats.awk PIDS TASKS
FNR == NR { pid[$1] = $2; next }
$1 != "task" { next }
$2 == "u" { u += $3; if ($7 !~ /^0x/) named += $3 }
$2 == "u" && $5 ~ /^:[0-9]+$/ { early += $3; if ($7 !~ /^0x/) named -= $3 }
$2 == "g" && $7 !~ /^0x/ { g += $3 }
$2 == "g" && $7 == "__clear_user" && $5 == "linux_guest_loa" { clear += $3 }
$2 == "u" && ($7 in own) {
	n[$7] += $3
	if ($5 == own[$7] && (!($5 in pid) || pid[$5] == $4))
		ok[$7] += $3
}
BEGIN { own["spin_a"] = "load_a"; own["spin_b"] = "load_b"; own["user_phase_spin"] = "linux_guest_loa" }
END {
	printf "u %d %d\nearly %d\n", u, named, early
	for (f in own) {
		printf "fn %s %d %d\n", f, n[f], ok[f]
		all += n[f]; good += ok[f]
	}
	printf "g %d\nclear %d\n", g, clear
	printf "crossed %.1f\nnamed %.1f\n", all ? 100 * (all - good) / all : 100,
		(u > early ? 100 * named / (u - early) : 0)
	printf "own %.1f\n", u ? 100 * good / u : 0
}
