#!/bin/sh
# make bench: what the series costs and how true its profile is.  Reuses
# make check's builds, builds the base and the series with PERF_EVENTS=n
# (one object directory, the second incrementally), then boots under
# QEMU -icount shift=0 the base and the series with config/bench.plan and
# the two PERF_EVENTS=n kernels with config/bench-exit.plan, and without
# -icount the base and the series twice each, interleaved, with
# config/bench-throughput.plan.  Prints the tables (build/bench/summary.txt)
# and draws the accuracy chart (build/bench/accuracy.png).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts

"$s/build/build-all.sh"
"$s/build/build-walk.sh" "$b/obj/perf-off-walk" \
	"$top/config/kvm-host.config $top/config/matrix/perf-off.config" \
	base-perf-off=base patched-perf-off=series || {
	echo "error: a PERF_EVENTS=n kernel does not build (build/$TREE/kernels/*-perf-off/build.log)" >&2
	exit 1
}
# A boot takes about 4 minutes; one that takes 8 has stopped making
# headway (config/bench.plan).
QEMU_EXTRA="-icount shift=0" BOOT_LIMIT=480 "$s/boot/boot-kernels.sh" -q -k "base patched" \
	"$top/config/bench.plan" bench
QEMU_EXTRA="-icount shift=0" "$s/boot/boot-kernels.sh" -q -k "base-perf-off patched-perf-off" \
	"$top/config/bench-exit.plan" bench-exit
for i in 1 2; do
	"$s/boot/boot-kernels.sh" -q -k "base patched" "$top/config/bench-throughput.plan" "tp$i"
done

mkdir -p "$b/bench"
"$s/bench/bench-summary.sh" "$b/logs" "$b/bench" | tee "$b/bench/summary.txt"
