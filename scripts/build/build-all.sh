#!/bin/sh
# Build everything the boots need: the base kernel and the series with
# the naive attribution fixture (one after the other in one object
# directory, the second incrementally), the patched kernel (an object
# directory of its own, which the upstream checks build in too), the
# KVM selftests, perf and the demo's programs.  Kernels land in
# build/kernels/NAME/.  Reuses build/ objects.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts

step() { echo "==> $*"; }

"$s/build/deps.sh"
"$s/tree/make-tree.sh"
"$s/build/build-walk.sh" "$b/obj/walk" "$top/config/kvm-host.config" \
	base=base naive="series+$top/config/naive-attribution.diff" || {
	echo "error: the base or the naive kernel does not build (build/kernels/*/build.log)" >&2
	exit 1
}
step "building the patched kernel (log: build/obj/patched/build.log)"
"$s/build/build-kernel.sh" "$b/linux" "$b/obj/patched"
mkdir -p "$b/kernels/patched"
for f in arch/riscv/boot/Image vmlinux System.map .config; do
	cp "$b/obj/patched/$f" "$b/kernels/patched/"
done
step "building the KVM selftests (log: build/selftests/build.log)"
"$s/build/build-selftests.sh" "$b/linux" "$b/obj/patched" "$b/selftests"
step "building zlib and libelf for perf, from Debian's sources (log: build/libs/build.log)"
"$s/build/build-libs.sh" "$b/libs"
step "building perf (log: build/perf/build.log)"
"$s/build/build-perf.sh" "$b/linux" "$b/libs/riscv64" "$b/perf"
step "building the demo workload"
"$s/build/build-workload.sh" "$b/linux" "$b/obj/patched" "$b/selftests" "$b/demo"
