#!/bin/sh
# Cross-build tools/perf of the tree, static, for riscv64, with the
# optional libraries off.  Only the perf binary is built: the default
# target also links a dlfilter shared object, which fails with -static.
# usage: build-perf.sh SRC OUTDIR
set -eu

src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

if ! make -C "$src/tools/perf" -j"$(nproc)" ARCH=riscv \
	CROSS_COMPILE=riscv64-linux-gnu- O="$out" LDFLAGS=-static \
	NO_LIBELF=1 NO_LIBTRACEEVENT=1 NO_LIBPYTHON=1 NO_LIBPERL=1 NO_SLANG=1 \
	NO_GTK2=1 NO_LIBBPF=1 NO_JVMTI=1 NO_LIBUNWIND=1 NO_LIBDW_DWARF_UNWIND=1 \
	NO_LIBNUMA=1 NO_LIBAUDIT=1 NO_LIBCRYPTO=1 NO_LIBZSTD=1 NO_LZMA=1 \
	NO_ZLIB=1 NO_LIBCAP=1 NO_BABELTRACE=1 NO_LIBPFM4=1 NO_SDT=1 \
	NO_AUXTRACE=1 NO_DEMANGLE=1 "$out/perf" >"$out/build.log" 2>&1; then
	grep -E 'error' "$out/build.log" | head -20 >&2
	echo "error: perf build failed (log: $out/build.log)" >&2
	exit 1
fi
riscv64-linux-gnu-strip -o "$out/perf.stripped" "$out/perf"
