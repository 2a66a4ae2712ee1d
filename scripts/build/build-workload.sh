#!/bin/sh
# Build the demo's guest workload, the VMs of the stress and the bench,
# timer_race, the KVM case of sampling throttle (throttle_vm) and the
# safety checks of guest callchains that the debug
# kernel boots (config/safety.plan), static for
# riscv64, against the KVM selftest library built by
# build-selftests.sh, and write a guest "kallsyms" file from the
# workload's symbol table for perf kvm --guestkallsyms.  Then what the
# real Linux guest needs: the guest's initramfs (its load, its
# two tasks and Debian's perf), the series' Image and its
# System.map (from KDIR, build/kernels/patched); and the host programs of
# the stress (init/stress.c, init/kvm-reload.c), the suite's sampler
# (init/sampler.c) and guest_inject (perf inject --guest-data with what
# init/qemu-guest.sh wrote).
# usage: build-workload.sh SRC HDR KDIR SELFTESTS_OUT OUTDIR
#   (HDR: where build-selftests.sh installed the uapi headers)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
src=$(cd "$1" && pwd) hdr=$(cd "$2" && pwd) kdir=$(cd "$3" && pwd) st=$(cd "$4" && pwd)
mkdir -p "$5"
out=$(cd "$5" && pwd)
k=$src/tools/testing/selftests/kvm

# Frame pointers, and no tail calls, as a kernel with FRAME_POINTER has:
# the host walks the guest's frame records for perf record -g.
for p in guest_workload stress_vm bench_vm timer_race bpf_stack device_walk \
	cross_task unmap_walk throttle_vm; do
	riscv64-linux-gnu-gcc -D_GNU_SOURCE= -Wall -Werror -O2 -g -std=gnu99 \
		-fno-omit-frame-pointer -fno-optimize-sibling-calls \
		-fno-stack-protector -fno-PIE -fno-strict-aliasing \
		-I"$src/tools/include" -I"$src/tools/arch/riscv/include" \
		-I"$k/include" -I"$k/include/riscv" -I"$src/tools/testing/selftests" \
		-isystem "$hdr/usr/include" -static -pthread -no-pie \
		-o "$out/$p" "$top/workload/$p.c" \
		"$st"/lib/*.o "$st"/lib/riscv/*.o -ldl
done

# The guest runs the workload's own code, so its text symbols are the
# guest's "kernel" symbols.  perf wants _text/_stext to place the map.
riscv64-linux-gnu-nm -n "$out/guest_workload" |
	awk '$2 ~ /^[tT]$/ { if (!n++) { print $1, "T", "_text"; print $1, "T", "_stext" }
		print $1, $2, $3 }' > "$out/guest.kallsyms"

# The real Linux guest: its load, its initramfs
# (the same init with config/guest.plan), the series' own Image as its
# kernel, and that kernel's symbols for perf kvm --guestkallsyms.
# The guest's programs keep their frame records (no tail calls) for
# guest user callchains.
for p in workload/linux_guest_load workload/linux_guest_tasks \
	init/stress init/kvm-reload init/sampler init/guest_inject; do
	riscv64-linux-gnu-gcc -Wall -Wextra -Werror -O2 -g -fno-omit-frame-pointer \
		-fno-optimize-sibling-calls -isystem "$hdr/usr/include" -static -pthread \
		-o "$out/$(basename "$p")" "$top/$p.c"
done
# Debian's own perf (linux-perf, from get-debian-riscv64.sh), with its
# loader and libraries, records the guest's sideband.
mkdir -p "$out/linux-guest"
LIB_IN_BIN=1 "$top/scripts/build/build-initramfs.sh" "$out/linux-guest/linux-guest.cpio.gz" \
	"$top/config/guest.plan" "$out/linux_guest_load" "$out/linux_guest_tasks" \
	"$shared"/debian-riscv64/perf/*
cp "$kdir/Image" "$out/linux-guest.Image"
cp "$kdir/System.map" "$out/linux.kallsyms"
