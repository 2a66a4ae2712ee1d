#!/bin/sh
# Summarize the perf kvm profiles of the demo workload on the three
# kernels: share of host kernel [k], host user [.], guest kernel [g] and
# guest user [u] samples, and the top symbols.  Writes OUTDIR/KERNEL.profile
# (resolve-profile.awk output), a bar chart OUTDIR/profile.png, and prints
# the summary.
# usage: profile-summary.sh LOGPREFIX KALLSYMS EXE OUTDIR
#   (reads LOGPREFIX-base.log, LOGPREFIX-nowin.log, LOGPREFIX-patched.log)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
prefix=$1 syms=$2 exe=$3 out=$4
kernels="base nowin patched"
mkdir -p "$out"

bias=$(riscv64-linux-gnu-readelf -lW "$exe" |
	gawk '$1 == "LOAD" { printf "0x%x\n", strtonum($3) - strtonum($2); exit }')
for k in $kernels; do
	gawk -v syms="$syms" -v base="$bias" -f "$top/scripts/resolve-profile.awk" \
		"$prefix-$k.log" > "$out/$k.profile"
done

share() { awk -v l="$2" '$1 == "level" && $2 == l { print $3 }' "$out/$1.profile"; }
tops() {
	awk '$1 == "sym" && n++ < 6 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' \
		"$out/$1.profile"
}

dat=$out/profile.dat
tab=$(printf '\t')
{
	printf 'mode\tbase\tnowin\tpatched\n'
	for l in k . g u; do
		case $l in
		k) name='[k] host kernel' ;; .) name='[.] host user' ;;
		g) name='[g] guest kernel' ;; u) name='[u] guest user' ;;
		esac
		printf '%s\t%s\t%s\t%s\n' "$name" "$(share base $l)" \
			"$(share nowin $l)" "$(share patched $l)"
	done
} > "$dat"

cat <<'EOT'
perf kvm --host --guest record -e cycles of the demo workload on a RISC-V
KVM host. The workload runs, 1 s each: a guest kernel loop
(guest_kernel_spin), a guest user loop (guest_user_spin), a loop of SBI
calls that host KVM answers in the kernel (guest_sbi_storm), and a host
user loop (host_user_spin). Without the series perf sees the guest's time
as host kernel time in kvm_arch_vcpu_ioctl_run; with it, samples that hit
the guest are [g] guest kernel or [u] guest user, at the guest's own PC.
Patches 1-4 count every sample taken while a vCPU is loaded as guest, as
arm64 does, so KVM's handling of the SBI calls shows up as [g] sbi_ecall;
patch 5 counts only the interrupts the guest left pending, so that work
shows up as [k] host kernel time.

EOT
printf '    %-18s %11s %15s %14s\n' "" "base 6.12" "patches 1-4" "whole series"
tail -n +2 "$dat" | while IFS=$tab read -r name b n p; do
	printf '    %-18s %10.2f%% %14.2f%% %13.2f%%\n' "$name" "$b" "$n" "$p"
done
for k in $kernels; do
	case $k in
	base) echo; echo "  top symbols, base 6.12:" ;;
	nowin) echo "  top symbols, patches 1-4 (every sample with a vCPU loaded is guest):" ;;
	patched) echo "  top symbols, whole series:" ;;
	esac
	tops $k
done
echo "  top host kernel symbols, whole series (KVM's own work):"
awk '$1 == "sym" && $3 == "[k]" && n++ < 4 { printf "    %6.2f%%  %s %s\n", $2, $3, $4 }' \
	"$out/patched.profile"
echo
echo "  ([u] and [.] addresses are named from the workload's symbol table:"
echo "  perf here is built without libelf and cannot read it.)"

if command -v gnuplot >/dev/null; then
	gnuplot <<EOG
set terminal pngcairo size 900,500 font ",11"
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
plot "$dat" using 2:xtic(1) every ::1 title "base 6.12", \
	"" using 3 every ::1 title "patches 1-4", \
	"" using 4 every ::1 title "whole series"
EOG
	echo
	echo "  chart: $out/profile.png"
fi
