#!/bin/sh
# Summarize the perf kvm profiles of the demo workload on the three
# kernels: share of host kernel [k], host user [.], guest kernel [g] and
# guest user [u] samples, and the top symbols; and how many samples of a
# plain perf record a plain perf report shows; and perf's call graph of
# the guest kernel loop.  Then the same for the real Linux guest booted by
# Debian's QEMU with KVM.  Every name is perf's own.  Writes OUTDIR/KERNEL.profile
# (report-shares.awk output, then "plain TOTAL SHOWN"),
# OUTDIR/KERNEL.chain (the call graph), OUTDIR/KERNEL.linux and
# OUTDIR/KERNEL.linux-chain (the same of the real guest),
# OUTDIR/KERNEL.linux-boot (the guest's boot), a bar chart
# OUTDIR/profile.png, and prints the summary.
# usage: profile-summary.sh LOGPREFIX OUTDIR
#   (reads LOGPREFIX-KERNEL.log of each kernel of the tree: base, naive
#   on 6.12, patched)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
prefix=$1 out=$2
kernels=$tree_kernels
mkdir -p "$out"

shares="$top/scripts/demo/report-shares.awk"
for k in $kernels; do
	# The [u] names from the report with perf kvm --guest-code.
	gawk -v step=perf_report -v ustep=perf_guest_code_report -f "$shares" \
		"$prefix-$k.log" > "$out/$k.profile"
	# Samples recorded (report --stats) and shown by a plain report.
	awk '$1 == "@@" { step = $3; next }
		step == "perf_plain_stats" && $1 == "SAMPLE" && $2 == "events:" { total = $3 }
		step == "perf_plain_report" && $1 ~ /^[0-9.]+%$/ && $2 ~ /^[0-9]+$/ { shown += $2 }
		END { print "plain", total + 0, shown + 0 }' \
		"$prefix-$k.log" >> "$out/$k.profile"
	# perf's own call graph of the guest kernel loop, from perf kvm
	# --guest record -g: its entry in the report, up to the blank line.
	awk '$1 == "@@" { on = $2 == "start" && $3 == "perf_chain_report"; next }
		on && /%.* guest_kernel_spin *$/ { entry = 1 }
		entry && !NF { entry = 0 }
		entry' "$prefix-$k.log" > "$out/$k.chain"
	# The real Linux guest.
	gawk -v step=linux_report -f "$shares" "$prefix-$k.log" > "$out/$k.linux"
	# Its call graph into the routine that clears user memory.
	awk '$1 == "@@" { on = $2 == "start" && $3 == "linux_chain_report"; next }
		on && /%.*\[g\] __clear_user *$/ { entry = 1 }
		entry && !NF { entry = 0 }
		entry' "$prefix-$k.log" > "$out/$k.linux-chain"
	# Its tasks, from the recording with the guest's sideband injected:
	# the report by command and pid with --guest-tasks, the same with the
	# offset 1 s off, without --guestkallsyms and without --guest-tasks;
	# each sample's vCPU from perf script; the
	# user call graph of load_a's spin_a(); the guest pids of load_a and
	# load_b as the guest printed them.
	tasks="$top/scripts/demo/task-samples.awk"
	awk -v step=linux_task_report -f "$tasks" "$prefix-$k.log" > "$out/$k.tasks"
	awk -v step=linux_task_report_off -f "$tasks" "$prefix-$k.log" > "$out/$k.tasks-off"
	awk -v step=linux_task_nokallsyms -f "$tasks" "$prefix-$k.log" > "$out/$k.tasks-nok"
	awk -v step=linux_task_plain -f "$tasks" "$prefix-$k.log" > "$out/$k.tasks-plain"
	awk '$1 == "@@" { on = $2 == "start" && $3 == "linux_task_script"; next }
		on && $1 ~ /^VCPU:/ { n[$2 " " substr($1, 6) + 0]++ }
		END { for (k in n) print "vcpu", k, n[k] }' "$prefix-$k.log" | sort > "$out/$k.task-vcpus"
	awk '$1 == "@@" { on = $2 == "start" && $3 == "linux_task_chain"; next }
		on && /%.* load_a .*\[u\] spin_a *$/ { entry = 1 }
		entry && !NF { entry = 0 }
		entry' "$prefix-$k.log" > "$out/$k.task-chain"
	sed -n 's/^guest| .*linux_guest_tasks: \(load_[ab]\) (pid \([0-9]*\)).*/\1 \2/p' \
		"$prefix-$k.log" > "$out/$k.task-pids"
	# Its boot: guest time at init's first line, QEMU's whole run,
	# whether init finished the guest's plan and powered off, and the
	# version of the guest's perf.
	awk '$1 == "@@" { on = $2 == "start" && $3 == "linux_record"; next }
		on && $1 == "guest|" && / @@ kernel / && match($0, /\[ *[0-9.]+\]/) {
			init = substr($0, RSTART + 1, RLENGTH - 2) + 0 }
		on && $1 == "guest|" && / @@ result / { steps++; if ($(NF - 2) == "pass") passed++ }
		on && $1 == "guest|" && / @@ done$/ { done = 1 }
		on && /^qemu-guest: the guest powered off after/ { off = $(NF - 1) }
		on && $1 == "guest|" && / perf version / { perf = $NF }
		END { printf "init %.2f steps %d passed %d done %d off %s perf %s\n",
			init, steps, passed, done, off == "" ? "no" : off, perf == "" ? "none" : perf }' \
		"$prefix-$k.log" > "$out/$k.linux-boot"
done
plain() { awk '$1 == "plain" { print $2, $3 }' "$out/$1.profile"; }

# level KERNEL EXT L: the share of level L in OUTDIR/KERNEL.EXT.
level() { awk -v l="$3" '$1 == "level" && $2 == l { print $3 }' "$out/$1.$2"; }
share() { level "$1" profile "$2"; }
name() {
	case $1 in
	k) echo '[k] host kernel' ;; .) echo '[.] host user' ;;
	g) echo '[g] guest kernel' ;; u) echo '[u] guest user' ;;
	esac
}
# title KERNEL: a kernel's column heading.
title() {
	case $1 in base) echo "base $TREE" ;; naive) echo naive ;; *) echo "whole series" ;; esac
}
# table EXT: the share of each level on each kernel.
table() {
	printf '    %-18s' ""
	for k in $kernels; do printf ' %15s' "$(title $k)"; done
	echo
	for l in k . g u; do
		printf '    %-18s' "$(name $l)"
		for k in $kernels; do printf ' %14.2f%%' "$(level $k "$1" $l)"; done
		echo
	done
}
# graphs EXT: the call graphs in OUTDIR/{base,patched}.EXT.
graphs() {
	for k in base patched; do
		echo "  $(title $k):"
		if grep -q -- '---' "$out/$k.$1" 2>/dev/null; then
			sed 's/^/  /' "$out/$k.$1"
		else
			echo "    (no guest call graph)"
		fi
	done
}
tops() {
	awk '$1 == "sym" && n++ < 6 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' \
		"$out/$1.profile"
}

dat=$out/profile.dat
{
	printf 'mode'
	for k in $kernels; do printf '\t%s' "$k"; done
	echo
	for l in k . g u; do
		printf '%s' "$(name $l)"
		for k in $kernels; do printf '\t%s' "$(share $k $l)"; done
		echo
	done
} > "$dat"

cat <<'EOT'
perf kvm --host --guest record -e cycles of the demo workload on a RISC-V
KVM host. The workload runs, 1 s each: a guest kernel loop
(guest_kernel_spin), a guest user loop (guest_user_spin), a loop of SBI
calls that host KVM answers in the kernel (guest_sbi_storm), and a host
user loop (host_user_spin). With the series, samples that hit the
guest are [g] guest kernel or [u] guest user, at the guest's own PC, and
KVM's handling of the SBI calls is [k] host kernel time.
EOT
case $TREE in
6.12) cat <<'EOT'
Without the series 6.12 perf sees the guest's time as host kernel time
in kvm_arch_vcpu_ioctl_run. The naive column is the series with its
attribution rules undone (a test fixture): every sample taken while a
vCPU is loaded is the guest's, as on arm64, and exclude_guest is ignored.

EOT
;;
*) cat <<'EOT'
Mainline counts every sample taken while a vCPU is loaded as the guest's,
KVM's own exit handling included, and walks no guest callchain.

EOT
;;
esac
table profile
echo
echo "  plain perf record -e cycles, then plain perf report:"
printf '    %-18s' "samples shown"
# Right-aligned under the columns of the table above.
for k in $kernels; do
	plain $k | { read -r t n; printf " %15s" "$n of $t"; }
done
echo
echo
for k in $kernels; do
	case $k in
	naive) echo "  top symbols, naive (every sample with a vCPU loaded is guest):" ;;
	*) echo "  top symbols, $(title $k):" ;;
	esac
	tops $k
done
echo "  top host kernel symbols, whole series (KVM's own work):"
awk '$1 == "sym" && $3 == "[k]" && n++ < 4 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' \
	"$out/patched.profile"
echo
echo "  (perf names every symbol: [g] from --guestkallsyms, [.] from the"
echo "  workload's ELF, [u] with perf kvm --guest-code, as the guest's user"
echo "  code is the workload's own.)"
echo
echo "  perf kvm --guest record -g, then perf kvm --guest report -g caller:"
echo "  the call graph of the guest's kernel loop, guest_kernel_spin(), as"
echo "  perf prints it (guest symbols from --guestkallsyms)."
graphs chain

cat <<'EOT'

A real Linux guest: Debian's own QEMU with KVM (riscv64 qemu-system-riscv
1:10.0.13) boots the series' own Image with 2 vCPUs on each host kernel; the
guest reads /dev/zero 64 KiB at a time, spins in user mode and sleeps
100 us at a time, 1 s each, runs two processes pinned one to each vCPU
for 2 s, then powers off.  perf kvm --host --guest record -g -e cycles
of QEMU, guest kernel symbols from the Image's System.map:

EOT
table linux
echo
for k in $kernels; do
	set -- $(cat "$out/$k.linux-boot")
	printf '  %-13s guest reached init at %s s of its own time, %s of %s plan steps passed (perf %s), QEMU ran %s s\n' \
		"$k:" "$2" "$6" "$4" "${12}" "${10}"
done
echo
echo "  top symbols, base $TREE:"
awk '$1 == "sym" && n++ < 3 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' "$out/base.linux"
echo "  top guest kernel symbols, whole series ($(awk '$1 == "sym" && $3 == "[g]" && $4 !~ /^0x/' \
	"$out/patched.linux" | wc -l) named [g] symbols in all):"
awk '$1 == "sym" && $3 == "[g]" && n++ < 10 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' \
	"$out/patched.linux"
echo
echo "  perf kvm --guest report -g caller of the same recording: the call"
echo "  graph of the guest kernel's __clear_user(), from the syscall entry:"
graphs linux-chain

tstat() { awk -f "$top/scripts/demo/task-stats.awk" "$out/$1.task-pids" "$out/$1.$2" 2>/dev/null |
	awk -v k="$3" '$1 == k { print $NF }'; }
cat <<'EOT'

The guest's processes: the guest's own perf record -a -e dummy
--switch-events (sideband only, no guest PMU) ran around its plan, the
guest left the file in QEMU's shared RAM, and perf inject --guest-data
merged it into the host's recording at QEMU's pid and the guest's time
offset, read from the vCPUs' time-offset in KVM's debugfs (the series'
file; the base has none).  perf then puts each [u] and [g] sample in
the guest task that ran on its vCPU: by command and guest pid, whole
series:

EOT
off=$(sed -n "s/^qemu-guest: guest time offset \(.*\) (KVM's debugfs)$/\1/p" "$prefix-patched.log" | head -n 1)
nooff=$(grep -c "^qemu-guest: no time-offset in KVM's debugfs" "$prefix-base.log" || true)
echo "  time offset: ${off:-none} (base $TREE: $([ "$nooff" -gt 0 ] && echo "no time-offset file" || echo "?"))"
echo
awk '$1 == "task" && ($2 == "u" || $2 == "g") { print }' "$out/patched.tasks" |
	sort -k3,3nr | awk 'n++ < 10 { printf "    %6d  %-16s %5s  [%s] %s\n", $3, $5, $4, $2, $7 }'
echo "  (a command \":TID\" is a vCPU thread's own: the guest's boot and its perf's"
echo "  start-up, before its recording began; linux_guest_loa is linux_guest_load,"
echo "  cut to 15 bytes)"
echo
printf '  [u] samples with a symbol: %s%% of those after the guest'"'"'s perf record began,\n' \
	"$(tstat patched tasks named)"
printf '  %s before it (its boot and perf'"'"'s start-up) (base %s: %s)\n' \
	"$(tstat patched tasks early)" "$TREE" "$(grep -q '^@@ result linux_task_report pass' \
	"$prefix-base.log" && echo "$(awk -f "$top/scripts/demo/task-stats.awk" \
	"$out/base.task-pids" "$out/base.tasks" 2>/dev/null | awk '$1 == "u" { print $2 }') [u] samples" ||
	echo "no injection, for want of the offset")"
printf '  the three loops under their own task: %s%% of the [u] samples, %s%% of theirs under\n' \
	"$(tstat patched tasks own)" "$(tstat patched tasks crossed)"
printf '  another; with the guest'"'"'s times 1 s off: %s%% named, %s%% under their own task\n' \
	"$(tstat patched tasks-off named)" "$(tstat patched tasks-off own)"
awk '$1 == "vcpu" { printf "%s  %s on vCPU %s: %d samples", n++ ? "," : "  perf script:", $2, $3, $4 }
	END { print "" }' "$out/patched.task-vcpus"
echo
echo "  perf kvm --guest report -g caller --comms load_a,load_b: load_a's"
echo "  user call graph into spin_a(), from the guest task's own binary:"
graphs task-chain

# One histogram a kernel, columns 2 on of profile.dat.
plot= c=2
for k in $kernels; do
	case $k in naive) t="naive (fixture)" ;; *) t=$(title $k) ;; esac
	x=
	[ $c != 2 ] || x=':xtic(1)'
	plot="$plot${plot:+, }\"$dat\" using $c$x every ::1 title \"$t\""
	c=$((c + 1))
done
if command -v gnuplot >/dev/null; then
	gnuplot <<EOG
set terminal pngcairo size 900,500 font ",11" noenhanced
set output "$out/profile.png"
set title "perf kvm on a RISC-V KVM host: share of samples by mode"
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "% of samples"
set yrange [0:100]
set key top right
set grid ytics
plot $plot
EOG
	echo
	echo "  chart: $out/profile.png"
fi
