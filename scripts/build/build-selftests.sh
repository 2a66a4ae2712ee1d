#!/bin/sh
# Install the tree's uapi headers in HDR/usr/include (no configuration
# needed) and build the riscv KVM selftests against them, static, and the
# perf_events selftest of sampling throttle (OUT/perf_events/), where the
# tree has it.
# usage: build-selftests.sh SRC HDR OUT
set -eu

src=$(cd "$1" && pwd)
mkdir -p "$2" "$3"
obj=$(cd "$2" && pwd) out=$(cd "$3" && pwd)

make -C "$src" O="$obj" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
	-s headers_install >"$out/headers.log" 2>&1 || {
	cat "$out/headers.log" >&2
	echo "error: headers_install failed" >&2
	exit 1
}
# 7.3's memslot_perf_test stops at a static assertion with Debian 12's
# riscv64 gcc 12.2 ("atomic bool is not lockless"): build the others
# (make -k) and fail on any other test that does not build.
unbuildable=memslot_perf_test
make -k -C "$src/tools/testing/selftests/kvm" -j"$(nproc)" ARCH=riscv \
	CROSS_COMPILE=riscv64-linux-gnu- \
	KHDR_INCLUDES="-isystem $obj/usr/include" OUTPUT="$out" \
	LDFLAGS="-static -pthread -no-pie" >"$out/build.log" 2>&1 || true
# The targets make gave up on, of those it builds in OUT.
failed=$(grep -o '\*\*\* \[[^]]*\] Error' "$out/build.log" | sed 's/.*: \(.*\)\] Error$/\1/' |
	grep "^$out/" | sed 's|.*/||; s|\.o$||' | sort -u | grep -vx "$unbuildable" || true)
missing=$(grep -o '\*\*\* \[[^]]*\] Error' "$out/build.log" | grep -c "/$unbuildable" || true)
if [ -n "$failed" ] || {
	grep -q '\*\*\*' "$out/build.log" && [ "$missing" = 0 ]; }; then
	grep -E 'error' "$out/build.log" | head -30 >&2
	echo "error: KVM selftests build failed: ${failed:-see the log} (log: $out/build.log)" >&2
	exit 1
fi
# The series' throttle test, alone of the perf_events selftests.
if [ -f "$src/tools/testing/selftests/perf_events/throttle_test.c" ]; then
	mkdir -p "$out/perf_events"
	riscv64-linux-gnu-gcc -static -O2 -Wall -Werror -isystem "$obj/usr/include" \
		-I"$src/tools/testing/selftests" -o "$out/perf_events/throttle_test" \
		"$src/tools/testing/selftests/perf_events/throttle_test.c" -lpthread ||
		{ echo "error: the perf_events throttle_test does not build" >&2; exit 1; }
fi
