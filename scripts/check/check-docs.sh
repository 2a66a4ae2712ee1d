#!/bin/sh
# Build the KVM documentation (make htmldocs SPHINXDIRS=virt/kvm) in the
# base and in the patched tree and report any Sphinx warning the patched
# tree has and the base has not.  One "ok - ..." or "not ok - ..." line.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

# docs K SRC: the build's warnings, without line numbers, one a line.
docs() {
	obj=$b/obj/docs-$1
	mkdir -p "$obj"
	# Debian's sphinx-build runs on Debian's python3.
	PATH=/usr/bin:$PATH make -C "$2" O="$obj" SPHINXDIRS=virt/kvm htmldocs \
		> "$obj/build.log" 2>&1 || return 1
	{ grep -E '(WARNING|ERROR|CRITICAL)' "$obj/build.log" || true; } |
		sed -E "s|$2/||g; s|:[0-9]+:|:|" | sort -u
}

echo "==> building the KVM documentation (logs: build/$TREE/obj/docs-*/build.log)" >&2
if docs base "$b/linux-base" > "$b/obj/docs-base.warnings" &&
	docs patched "$b/linux" > "$b/obj/docs-patched.warnings"; then
	new=$(comm -13 "$b/obj/docs-base.warnings" "$b/obj/docs-patched.warnings")
	page=$(find "$b/obj/docs-patched" -path '*riscv/perf.html' | head -1)
	if [ -z "$new" ] && [ -n "$page" ]; then
		check 1 "htmldocs SPHINXDIRS=virt/kvm: riscv/perf.html built, no new warnings"
	else
		check 0 "htmldocs SPHINXDIRS=virt/kvm: page ${page:-missing}; new warnings:"
		printf '%s\n' "$new" | sed 's/^/# /'
	fi
else
	check 0 "htmldocs SPHINXDIRS=virt/kvm failed (build/$TREE/obj/docs-*/build.log)"
fi
