#!/bin/busybox sh
# Boot the real Linux guest (the series' Image and the guest initramfs
# of linux_vmm, config/guest.plan) under Debian's own QEMU with KVM, as
# a user would, and hand its perf data and what perf inject --guest-data
# needs to the host:
#  - QEMU, its loader and its libraries are Debian's riscv64 builds,
#    in /bin, run through the loader (the host has none at /lib);
#  - in-kernel AIA (-M virt,aia=aplic-imsic) where the host has Ssaia;
#  - the vCPU threads are named "CPU n/KVM" (-name debug-threads=on);
#  - the guest's time offset is read from KVM's debugfs while QEMU runs
#    (the series' time-offset file); without it this script fails;
#  - the guest's RAM is a shared file, and the guest (mem=96M) leaves
#    its perf data at 96 MiB of it (vmm_file=, the window protocol of
#    linux_guest_tasks send): read from the file once QEMU has exited.
# Writes OUT (the guest's perf.data) and OUT.vmm (pid, time_offset,
# timebase), as linux_vmm -o does.
# usage: qemu-guest.sh OUT
set -u
bb=/bin/busybox
out=$1 ram=/tmp/qemu-guest.ram
win_mib=96 win_size=0x1000000

machine=virt
$bb grep -q '_ssaia' /proc/cpuinfo && machine=virt,aia=aplic-imsic
echo "qemu-guest: QEMU $(/bin/ld-linux-riscv64-lp64d.so.1 --library-path /bin \
	/bin/qemu-system-riscv64 --version | $bb head -n 1), -M $machine"
/bin/ld-linux-riscv64-lp64d.so.1 --library-path /bin /bin/qemu-system-riscv64 \
	-M "$machine,memory-backend=ram" -accel kvm -cpu host -smp 2 -m 128M \
	-object "memory-backend-file,id=ram,size=128M,mem-path=$ram,share=on" \
	-nographic -bios none -name debug-threads=on -no-reboot \
	-kernel /bin/linux-guest.Image -initrd /bin/linux-guest.cpio.gz \
	-append "earlycon=sbi keep_bootcon printk.devkmsg=on loglevel=5 no4lvl panic=-1 init_output=kmsg mem=${win_mib}M vmm_file=$(printf 0x%x $((0x80000000 + win_mib * 1048576))),$win_size" &
pid=$!

# The VM's debugfs directory is PID-FD; wait for vCPU 0's file.
offset=
i=0
while [ $i -lt 300 ] && [ -z "$offset" ]; do
	for f in /sys/kernel/debug/kvm/"$pid"-*/vcpu0/time-offset; do
		[ -r "$f" ] && offset=$($bb cat "$f")
	done
	[ -n "$offset" ] || $bb sleep 0.1
	i=$((i + 1))
done
wait $pid
rc=$?
echo "qemu-guest: QEMU (pid $pid) exited $rc"
[ -n "$offset" ] || { echo "qemu-guest: no time-offset in KVM's debugfs for pid $pid"; exit 1; }
echo "qemu-guest: guest time offset $offset (KVM's debugfs)"

win() { $bb dd if="$ram" bs=1M skip=$win_mib count=$((win_size / 1048576)) 2>/dev/null; }
[ "$(win | $bb head -c 8)" = "VMM FILE" ] || { echo "qemu-guest: the guest left no file"; exit 1; }
len=$(win | $bb od -An -tu8 -j8 -N8 | $bb tr -d ' ')
win | $bb tail -c +17 | $bb head -c "$len" > "$out"
$bb rm -f "$ram"
timebase=$($bb od -An -tu1 -N4 /proc/device-tree/cpus/timebase-frequency |
	$bb awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
printf 'pid %d\ntime_offset %s\ntimebase %s\n' "$pid" "$offset" "$timebase" > "$out.vmm"
echo "qemu-guest: the guest's file, $len bytes, in $out"
