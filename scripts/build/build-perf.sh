#!/bin/sh
# Cross-build tools/perf of the tree, static, for riscv64, with libelf
# and zlib from LIBS (build-libs.sh's riscv64/: perf then reads ELF
# symbol tables and names user-space symbols itself) and the other
# optional libraries off.  Only the perf binary is built: the default
# target also links a dlfilter shared object, which fails with -static.
# 7.3's perf uses 1- and 2-byte atomics, which riscv64 gcc 12 calls in
# libatomic; no Rust test workload, and none of the newer optional
# libraries (capstone, LLVM, debuginfod, libdw).
# usage: build-perf.sh SRC LIBS OUTDIR
set -eu

src=$(cd "$1" && pwd) libs=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)

if ! make -C "$src/tools/perf" -j"$(nproc)" ARCH=riscv \
	CROSS_COMPILE=riscv64-linux-gnu- O="$out" \
	EXTRA_CFLAGS="-I$libs/include" LDFLAGS="-static -L$libs/lib" \
	NO_DWARF=1 NO_LIBTRACEEVENT=1 NO_LIBPYTHON=1 NO_LIBPERL=1 NO_SLANG=1 \
	NO_GTK2=1 NO_LIBBPF=1 NO_JVMTI=1 NO_LIBUNWIND=1 NO_LIBDW_DWARF_UNWIND=1 \
	NO_LIBNUMA=1 NO_LIBAUDIT=1 NO_LIBCRYPTO=1 NO_LIBZSTD=1 NO_LZMA=1 \
	NO_LIBCAP=1 NO_BABELTRACE=1 NO_LIBPFM4=1 NO_SDT=1 \
	NO_AUXTRACE=1 NO_DEMANGLE=1 NO_RUST=1 NO_CAPSTONE=1 NO_LIBLLVM=1 \
	NO_LIBDEBUGINFOD=1 NO_LIBDW=1 EXTRA_PERFLIBS=-latomic "$out/perf" >"$out/build.log" 2>&1; then
	grep -E 'error' "$out/build.log" | head -20 >&2
	echo "error: perf build failed (log: $out/build.log)" >&2
	exit 1
fi
# Without libelf perf cannot name a user-space symbol: fail loudly.
grep -q '^feature-libelf=1$' "$out/FEATURE-DUMP" 2>/dev/null || {
	echo "error: perf was built without libelf (log: $out/build.log)" >&2
	exit 1
}
riscv64-linux-gnu-strip -o "$out/perf.stripped" "$out/perf"
