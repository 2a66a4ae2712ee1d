#!/bin/sh
# Install the tree's uapi headers in HDR/usr/include (no configuration
# needed) and build the riscv KVM selftests against them, static.
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
if ! make -C "$src/tools/testing/selftests/kvm" -j"$(nproc)" ARCH=riscv \
	CROSS_COMPILE=riscv64-linux-gnu- \
	KHDR_INCLUDES="-isystem $obj/usr/include" OUTPUT="$out" \
	LDFLAGS="-static -pthread -no-pie" >"$out/build.log" 2>&1; then
	grep -E 'error|warning' "$out/build.log" | head -30 >&2
	echo "error: KVM selftests build failed (log: $out/build.log)" >&2
	exit 1
fi
