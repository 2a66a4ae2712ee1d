#!/bin/busybox sh
# Boot a real Linux guest (IMAGE and INITRD: the series' Image and the
# initramfs of config/guest.plan) under Debian's own QEMU with KVM, as a
# user would, and hand its perf data and what perf inject --guest-data
# needs to the host:
#  - QEMU is run through Debian's loader, with Debian's libraries beside
#    it in /bin (the host has no loader at /lib);
#  - in-kernel AIA (-M virt,aia=aplic-imsic) where the host has Ssaia;
#  - the vCPU threads are named "CPU n/KVM" (-name debug-threads=on);
#  - the guest's time offset is read from KVM's debugfs while QEMU runs
#    (the series' time-offset file): without it the script fails;
#  - the guest's RAM is a shared file, and the guest (mem=160M) leaves
#    its perf data at 160 MiB of it (vmm_file=, the window protocol of
#    linux_guest_tasks send), read once QEMU has exited.
# The guest's console is shown with "guest| " before each line.  Writes
# OUT (the guest's perf.data) and OUT.vmm (pid, time_offset, timebase),
# which guest_inject reads.
# usage: qemu-guest.sh QEMU IMAGE INITRD OUT
set -u
bb=/bin/busybox
qemu=$1 image=$2 initrd=$3 out=$4 ram=/tmp/qemu-guest.ram fifo=/tmp/qemu-guest.console
dir=$($bb dirname "$qemu")
win_mib=160 win_size=0x1000000
win_gpa=$(printf '0x%x' $((0x80000000 + win_mib * 1048576)))

machine=virt
$bb grep -q '_ssaia' /proc/cpuinfo && machine=virt,aia=aplic-imsic
echo "qemu-guest: $("$dir/ld-linux-riscv64-lp64d.so.1" --library-path "$dir" "$qemu" --version |
	$bb head -n 1), -M $machine"
$bb rm -f "$fifo" "$ram" "$out" "$out.vmm"
$bb mkfifo "$fifo"
$bb sed 's/^/guest| /' < "$fifo" &
start=$($bb cut -d ' ' -f 1 /proc/uptime)
"$dir/ld-linux-riscv64-lp64d.so.1" --library-path "$dir" "$qemu" \
	-M "$machine,memory-backend=ram" -accel kvm -cpu host -smp 2 -m 192M \
	-object "memory-backend-file,id=ram,size=192M,mem-path=$ram,share=on" \
	-nographic -bios none -name debug-threads=on -no-reboot \
	-kernel "$image" -initrd "$initrd" \
	-append "printk.devkmsg=on loglevel=5 no4lvl panic=-1 init_output=kmsg mem=${win_mib}M vmm_file=$win_gpa,$win_size" \
	> "$fifo" 2>&1 &
pid=$!

# The VM's debugfs directory is PID-FD: wait for vCPU 0's file while
# QEMU runs (a kernel without it leaves none, and QEMU runs to its end).
running() { $bb grep -q '^State:[[:space:]]*[^Z]' /proc/$pid/status 2>/dev/null; }
offset=
while [ -z "$offset" ] && running; do
	for f in /sys/kernel/debug/kvm/"$pid"-*/vcpu0/time-offset; do
		[ -r "$f" ] && offset=$($bb cat "$f")
	done
	[ -n "$offset" ] || $bb sleep 0.1
done
wait $pid
rc=$?
end=$($bb cut -d ' ' -f 1 /proc/uptime)
wait
$bb rm -f "$fifo"
[ $rc = 0 ] || { echo "qemu-guest: QEMU (pid $pid) exited $rc"; exit 1; }
echo "qemu-guest: the guest powered off after $(echo "$start $end" | $bb awk '{ printf "%.1f", $2 - $1 }') s"

win() { $bb dd if="$ram" bs=1M skip=$win_mib count=$((win_size / 1048576)) 2>/dev/null; }
[ "$(win | $bb head -c 8)" = "VMM FILE" ] || { echo "qemu-guest: the guest left no file"; exit 1; }
len=$(win | $bb od -An -tu8 -j8 -N8 | $bb tr -d ' ')
win | $bb tail -c +17 | $bb head -c "$len" > "$out"
$bb rm -f "$ram"
echo "qemu-guest: the guest's file, $len bytes, in $out"
[ -n "$offset" ] || { echo "qemu-guest: no time-offset in KVM's debugfs for pid $pid"; exit 1; }
timebase=$($bb od -An -tu1 -N4 /proc/device-tree/cpus/timebase-frequency |
	$bb awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
printf 'pid %d\ntime_offset %s\ntimebase %s\n' "$pid" "$offset" "$timebase" > "$out.vmm"
echo "qemu-guest: guest time offset $offset ticks of $timebase Hz (KVM's debugfs)"
