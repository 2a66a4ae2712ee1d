#!/bin/sh
# Print the path of the tree's source tarball, fetching it first if
# need be.  6.12: Debian 12's linux-source-6.12, which deps.sh installs.
# 7.3: Debian 13's linux-source-7.3 from trixie-backports, pinned,
# downloaded with a private apt configuration under build/src (the
# machine's apt setup is left alone) from the archive the machine's own
# apt sources name, and unpacked there.
# usage: get-source.sh   (TREE in the environment)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"

if [ -z "$srcver_pin" ]; then
	t=/usr/src/$srcpkg.tar.xz
	[ -r "$t" ] || { echo "error: $t missing ($srcpkg not installed)" >&2; exit 1; }
	echo "$t $(dpkg-query -W -f '${Version}' "$srcpkg")"
	exit 0
fi

out=$shared/src/$srcpkg
t=$out/usr/src/$srcpkg.tar.xz
if [ "$(cat "$out/version" 2>/dev/null)" != "$srcver_pin" ] || [ ! -r "$t" ]; then
	uri=$("$top/scripts/build/debian-archive.sh")
	echo "==> fetching $srcpkg $srcver_pin from trixie-backports" >&2
	rm -rf "$out"
	. "$top/scripts/build/apt-private.sh"
	apt_private_init "$out/apt" "deb $uri trixie-backports main"
	apt_private -qq update >&2 || {
		echo "error: cannot read Debian's trixie-backports suite at $uri (apt-get update failed)" >&2
		exit 1
	}
	(cd "$out" && apt_private -qq download "$srcpkg=$srcver_pin") >&2 || {
		echo "error: trixie-backports has no $srcpkg $srcver_pin" >&2
		exit 1
	}
	dpkg-deb --fsys-tarfile "$out"/"$srcpkg"_*.deb | tar -C "$out" -x ./usr/src
	rm -f "$out"/"$srcpkg"_*.deb
	[ -r "$t" ] || { echo "error: $srcpkg $srcver_pin holds no $t" >&2; exit 1; }
	echo "$srcver_pin" > "$out/version"
fi
echo "$t $srcver_pin"
