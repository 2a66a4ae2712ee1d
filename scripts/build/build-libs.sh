#!/bin/sh
# Cross-build, static for riscv64, the libraries that a distribution's
# perf links and that fit a static binary: zlib, and elfutils' libelf
# (ELF symbol tables, compressed sections).  The sources are Debian's
# own packages at pinned versions, fetched with a private apt
# configuration under OUT (the machine's apt setup is left alone) and
# unpacked with Debian's patches.  Installs into OUT/riscv64 (include/,
# lib/); a second run with the same versions does nothing.
# usage: build-libs.sh OUT
set -eu

zlib_version=1:1.2.13.dfsg-1
elfutils_version=0.188-2.1

mkdir -p "$1"
out=$(cd "$1" && pwd)
prefix=$out/riscv64
stamp="zlib $zlib_version, elfutils $elfutils_version"
[ "$(cat "$prefix/.built" 2>/dev/null)" = "$stamp" ] && exit 0

log=$out/build.log
: > "$log"
fail() {
	tail -20 "$log" >&2
	echo "error: $* (log: $log)" >&2
	exit 1
}

# A deb-src line for the Debian archive and suite that apt already uses.
. /etc/os-release
uri=$("$(dirname "$0")/debian-archive.sh") || fail "apt knows no archive for $VERSION_CODENAME main"
. "$(dirname "$0")/apt-private.sh"
apt_private_init "$out/apt" "deb-src $uri $VERSION_CODENAME main"
mkdir -p "$out/src"
apt_private -qq update >>"$log" 2>&1 || fail "apt-get update of $uri failed"
(cd "$out/src" && rm -rf ./* &&
	apt_private -qq source --download-only "zlib=$zlib_version" \
		"elfutils=$elfutils_version" &&
	for dsc in *.dsc; do dpkg-source -x "$dsc"; done) >>"$log" 2>&1 ||
	fail "fetching Debian's zlib $zlib_version and elfutils $elfutils_version failed"

rm -rf "$prefix"
mkdir -p "$prefix/include" "$prefix/lib"
cross=riscv64-linux-gnu-

# zlib: the static library alone.
(cd "$out"/src/zlib-*/ &&
	CC=${cross}gcc AR=${cross}ar RANLIB=${cross}ranlib CFLAGS=-O2 \
		./configure --static --prefix="$prefix" &&
	make -j"$(nproc)" libz.a && make install) >>"$log" 2>&1 ||
	fail "building zlib failed"

# libelf alone, without the optional decompressors that static perf
# would have to link too.  perf's feature test and link put -lz before
# -lelf, so zlib's objects go into libelf.a, which then stands alone.
(cd "$out"/src/elfutils-*/ &&
	./configure --host=riscv64-linux-gnu --prefix="$prefix" \
		--disable-debuginfod --disable-libdebuginfod --disable-nls \
		--without-bzlib --without-lzma --without-zstd \
		--disable-demangler CFLAGS="-O2 -I$prefix/include" \
		LDFLAGS="-L$prefix/lib" &&
	make -C lib -j"$(nproc)" && make -C libelf -j"$(nproc)" libelf.a &&
	cp libelf/libelf.h libelf/gelf.h libelf/nlist.h "$prefix/include/" &&
	cp libelf/libelf.a "$prefix/lib/") >>"$log" 2>&1 ||
	fail "building elfutils' libelf failed"
(mkdir -p "$out/merge" && cd "$out/merge" && rm -f ./*.o &&
	${cross}ar x "$prefix/lib/libz.a" &&
	${cross}ar rcs "$prefix/lib/libelf.a" ./*.o) >>"$log" 2>&1 ||
	fail "adding zlib to libelf.a failed"
rm -rf "$out/merge"
echo "$stamp" > "$prefix/.built"
