#!/bin/sh
# Boot a kernel and initramfs as the L1 KVM host under QEMU (H extension,
# Sscofpmf), with a time limit.  The console goes to LOG; lines that are
# not kernel messages are also shown on stdout.
# usage: boot.sh IMAGE INITRAMFS LOG [TIMEOUT_S]
# QEMU_EXTRA in the environment adds QEMU options (for example
# "-icount shift=0": one instruction a nanosecond of virtual time).
# QEMU_MEM is the host's RAM (default 1G); KERNEL_ARGS adds to the
# kernel's command line.  PLATFORM picks the
# emulator: qemu7 (default: Debian 12's QEMU 7.2 and OpenSBI 1.1, a
# PLIC, Sscofpmf), qemu10 (Debian 13's QEMU 10.0 and OpenSBI 1.5 from
# build/qemu10, with Smcntrpmf: cycles and instret filter by mode) or
# qemu10-aia (the same with an APLIC and IMSICs, Ssaia and Smaia, 4
# guest interrupt files a hart).
# Exit: 0 when init reported "@@ done", 1 on a panic, a hang or an early end.
set -eu

image=$1 initrd=$2 log=$3 limit=${4:-900}
[ -f "$image" ] || { echo "error: no kernel image $image" >&2; exit 1; }

q10=$(cd "$(dirname "$0")/../.." && pwd)/build/qemu10/root
qemu=qemu-system-riscv64 bios=default machine=virt
cpu=rv64,h=true,sscofpmf=true
case ${PLATFORM:-qemu7} in
qemu7) ;;
qemu10|qemu10-aia)
	qemu=$q10/usr/bin/qemu-system-riscv64
	bios=$q10/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
	[ -x "$qemu" ] || { echo "error: no QEMU 10 in $q10 (scripts/build/get-qemu10.sh)" >&2; exit 1; }
	export QEMU_MODULE_DIR=$q10/usr/lib/x86_64-linux-gnu/qemu
	cpu=$cpu,smcntrpmf=true
	if [ "$PLATFORM" = qemu10-aia ]; then
		machine=virt,aia=aplic-imsic,aia-guests=4
		cpu=$cpu,ssaia=true,smaia=true
	fi ;;
*) echo "error: unknown PLATFORM $PLATFORM (qemu7, qemu10, qemu10-aia)" >&2; exit 1 ;;
esac

rc=0 pidf=$log.pid
rm -f "$pidf" "$log"
# A kernel that has not started init after 240 s has hung at boot (the
# debug kernel starts it 8.4 s into its own clock, the others in under
# 1 s): stop QEMU then, not at the limit.  The watcher's sleep is
# killed with it, and holds none of boot.sh's output open.
(
	trap 'kill "$s" 2>/dev/null; exit 0' TERM
	sleep 240 &
	s=$!
	wait "$s"
	grep -q '^@@ kernel' "$log" 2>/dev/null || kill "$(cat "$pidf")" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
watch=$!
timeout --foreground -k 10 "$limit" \
	"$qemu" -M "$machine" -cpu "$cpu" -smp 2 -m "${QEMU_MEM:-1G}" \
	-nographic -no-reboot -bios "$bios" -kernel "$image" -initrd "$initrd" \
	${QEMU_EXTRA:-} -pidfile "$pidf" \
	-append "console=ttyS0 panic=-1 loglevel=5${KERNEL_ARGS:+ $KERNEL_ARGS}" </dev/null 2>&1 |
	stdbuf -o0 tr -d '\r' | tee "$log" | grep --line-buffered -v '^\[ *[0-9]*\.[0-9]*\]' || true
kill "$watch" 2>/dev/null || true
rm -f "$pidf"
# The pipeline hides timeout's status: tell a hang from the log.
if grep -q 'Kernel panic' "$log"; then
	echo "error: the kernel panicked; console tail:" >&2
	tail -40 "$log" >&2
	rc=1
elif ! grep -q '^@@ kernel' "$log"; then
	echo "error: the kernel did not start init (hung at boot, or QEMU ended); console tail:" >&2
	tail -40 "$log" >&2
	rc=1
elif ! grep -q '^@@ done' "$log"; then
	echo "error: QEMU ended or hung (limit ${limit}s) before the plan finished; console tail:" >&2
	tail -40 "$log" >&2
	rc=1
fi
exit $rc
