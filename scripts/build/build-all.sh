#!/bin/sh
# Build everything the boots need: the base kernel, the series with the
# naive attribution fixture and the series itself (one after the other
# in one object directory, the second and third incrementally), the
# series' uapi headers, the KVM selftests, perf and the demo's programs.
# Kernels land in build/kernels/NAME/.  Reuses build/ objects.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts

step() { echo "==> $*"; }

"$s/build/deps.sh"
"$s/tree/make-tree.sh"
"$s/build/build-walk.sh" "$b/obj/walk" "$top/config/kvm-host.config" \
	base=base naive="series+$top/config/naive-attribution.diff" patched=series || {
	echo "error: the base, naive or patched kernel does not build (build/kernels/*/build.log)" >&2
	exit 1
}
step "installing the series' uapi headers, building the KVM selftests (log: build/selftests/build.log)"
"$s/build/build-selftests.sh" "$b/linux" "$b/obj/headers" "$b/selftests"
step "building zlib and libelf for perf, from Debian's sources (log: build/libs/build.log)"
"$s/build/build-libs.sh" "$b/libs"
step "building perf (log: build/perf/build.log)"
"$s/build/build-perf.sh" "$b/linux" "$b/libs/riscv64" "$b/perf"
step "building the demo and stress workloads"
"$s/build/build-workload.sh" "$b/linux" "$b/obj/headers" "$b/kernels/patched" \
	"$b/selftests" "$b/demo"
