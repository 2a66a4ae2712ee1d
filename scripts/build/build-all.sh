#!/bin/sh
# Build everything the boots need, of the tree TREE (scripts/tree/env.sh):
# its kernels (the base, on 6.12 the series with the naive attribution
# fixture, and the series itself, one after the other in one object
# directory, each after the first incrementally), the
# series' uapi headers, the KVM selftests, perf (the series' and, for
# perf test, the base's) and the demo's programs.
# Kernels land in build/TREE/kernels/NAME/.  Reuses build/ objects.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts

step() { echo "==> $*"; }

"$s/build/deps.sh"
"$s/tree/make-tree.sh"
walk="base=base patched=series"
case $tree_kernels in *naive*)
	walk="base=base naive=series+$top/config/naive-attribution.diff patched=series" ;;
esac
# shellcheck disable=SC2086
"$s/build/build-walk.sh" "$b/obj/walk" "$top/config/kvm-host.config" $walk || {
	echo "error: a kernel of $TREE ($tree_kernels) does not build (build/$TREE/kernels/*/build.log)" >&2
	exit 1
}
step "installing the series' uapi headers, building the KVM selftests (log: build/$TREE/selftests/build.log)"
"$s/build/build-selftests.sh" "$b/linux" "$b/obj/headers" "$b/selftests"
step "building zlib and libelf for perf, from Debian's sources (log: build/libs/build.log)"
"$s/build/build-libs.sh" "$shared/libs"
step "building perf (log: build/$TREE/perf/build.log)"
"$s/build/build-perf.sh" "$b/linux" "$shared/libs/riscv64" "$b/perf"
step "building the base tree's perf, for perf test (log: build/$TREE/perf-base/build.log)"
"$s/build/build-perf.sh" "$b/linux-base" "$shared/libs/riscv64" "$b/perf-base"
step "fetching Debian's riscv64 busybox and bash, for perf test, and QEMU, for the real guest"
"$s/build/get-debian-riscv64.sh" "$shared/debian-riscv64"
# perf test in the KVM host (config/perf-test.plan): the base perf
# unstripped, as the series' is (perf's Symbols test and the shell
# tests read the binary's own symbols), and the series' shell tests.
mkdir -p "$b/demo"
cp "$b/perf-base/perf" "$b/demo/perf-base"
cp "$shared/debian-riscv64/busybox" "$shared/debian-riscv64/bash" \
	"$top/init/perf-test.sh" "$top/config/perf-test.list" "$b/demo/"
# The real guest's VMM: Debian's QEMU, its loader and libraries, and the
# script that starts it (config/demo.plan).
cp "$shared/debian-riscv64/qemu/"* "$top/init/qemu-guest.sh" "$b/demo/"
tar -C "$b/linux/tools/perf" -cf "$b/demo/perf-tests.tar" tests/shell
step "building the demo and stress workloads"
"$s/build/build-workload.sh" "$b/linux" "$b/obj/headers" "$b/kernels/patched" \
	"$b/selftests" "$b/demo"
