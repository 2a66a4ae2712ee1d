#!/bin/sh
# Build everything both boots need: the base and the patched kernel, the
# KVM selftests, perf and the demo workload.  Reuses build/ objects.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts

step() { echo "==> $*"; }

"$s/build/deps.sh"
"$s/tree/make-tree.sh"
step "building the base kernel (log: build/obj/base/build.log)"
"$s/build/build-kernel.sh" "$b/linux-base" "$b/obj/base"
step "building the series with the naive attribution fixture (log: build/obj/naive/build.log)"
"$s/build/build-kernel.sh" "$b/linux-naive" "$b/obj/naive"
step "building the patched kernel (log: build/obj/patched/build.log)"
"$s/build/build-kernel.sh" "$b/linux" "$b/obj/patched"
step "building the KVM selftests (log: build/selftests/build.log)"
"$s/build/build-selftests.sh" "$b/linux" "$b/obj/patched" "$b/selftests"
step "building perf (log: build/perf/build.log)"
"$s/build/build-perf.sh" "$b/linux" "$b/perf"
step "building the demo workload"
"$s/build/build-workload.sh" "$b/linux" "$b/obj/patched" "$b/selftests" "$b/demo"
