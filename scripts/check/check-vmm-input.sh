#!/bin/sh
# Check that linux_vmm refuses bad input with a clear error and a
# non-zero exit, before it touches KVM: it runs here under qemu-riscv64
# (user mode), where KVM is not reachable, so a good input is the one
# that gets as far as KVM.  One "ok - ..." or "not ok - ..." line a
# check.
# usage: check-vmm-input.sh DEMO_DIR   (build/demo: linux_vmm, linux-guest.*)
set -eu

d=$(cd "$1" && pwd)
vmm=$d/linux_vmm image=$d/linux-guest.Image initrd=$d/linux-guest/linux-guest.cpio.gz
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"

# expect RC PATTERN WHAT ARG...: linux_vmm ARG... exits RC with an error
# matching PATTERN.
expect() {
	want=$1 pat=$2 what=$3
	shift 3
	rc=0
	qemu-riscv64 "$vmm" "$@" >out 2>&1 || rc=$?
	msg=$(grep -m1 -E 'error|usage' out || true)
	if [ "$rc" = "$want" ] && grep -qE -e "$pat" out; then
		echo "ok - linux_vmm, $what: exit $rc, \"$msg\""
	else
		echo "not ok - linux_vmm, $what: exit $rc (want $want), \"$msg\""
	fi
}

cp "$image" Image
cp "$initrd" initrd.gz
head -c 40 Image > truncated
head -c 4096 /dev/zero > zeros
# A header whose image_size (offset 16) is 4 KiB: less than the file.
cp Image oversized
printf '\000\020\000\000\000\000\000\000' |
	dd of=oversized bs=1 seek=16 conv=notrunc 2>/dev/null

expect 2 '^usage' "no arguments"
expect 1 'cannot open the kernel Image' "missing Image" missing
expect 1 'not a regular file' "a directory as Image" .
expect 1 'is truncated: 40 bytes' "truncated Image" truncated
expect 1 'not a RISC-V Linux Image' "not an Image" zeros
expect 1 'more than the 4096 its header says' "Image larger than its header says" oversized
expect 1 'RAM cannot hold the kernel.*give at least' "RAM too small for the kernel" -m 4 Image
expect 1 'RAM cannot hold the kernel.*give at least' "RAM too small for the initrd" -m 6 Image initrd.gz
expect 1 'cannot open the initrd' "missing initrd" Image missing
expect 1 '-m takes a RAM size' "bad RAM size" -m 0 Image
expect 1 '-c takes 1 to 8 vCPUs' "bad vCPU count" -c 9 Image
# Good input gets past every check, to KVM (absent under qemu-riscv64).
expect 1 'KVM_CREATE_VM|/dev/kvm' "good input reaches KVM" -m 128 Image initrd.gz
