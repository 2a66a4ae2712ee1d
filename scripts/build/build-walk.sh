#!/bin/sh
# Build several revisions of the kernel tree one after the other in one
# worktree (build/linux-walk) and one object directory, so that only the
# first build is a full one: each next revision recompiles just the files
# that differ from the last (git rewrites them, make sees them newer).
# After each build, its Image, vmlinux, System.map and .config are copied
# to build/kernels/NAME/, with NAME/status "ok" or "fail".  A revision
# whose copy is current (same tree, diff and configuration) is skipped.
# REV is a revision of build/linux, optionally "+DIFF": a diff applied
# on top of it.
# usage: build-walk.sh OBJ FRAGMENTS NAME=REV[+DIFF]...
#   (FRAGMENTS: config fragments, space separated, as build-kernel.sh takes)
# Exits non-zero if a build failed; the others are still done.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
tree=$b/linux
wt=$b/linux-walk
obj=$1 frags=$2
shift 2

[ -d "$wt" ] || git -C "$tree" worktree add -q --detach "$wt" base
rc=0
for t in "$@"; do
	name=${t%%=*} spec=${t#*=}
	rev=${spec%%+*} diff=
	[ "$rev" != "$spec" ] && diff=${spec#*+}
	out=$b/kernels/$name
	# shellcheck disable=SC2086
	want="$(git -C "$tree" rev-parse "$rev^{tree}") $( (cat $frags; [ -z "$diff" ] ||
		cat "$diff") | sha1sum | cut -d' ' -f1)"
	if [ "$(cat "$out/stamp" 2>/dev/null)" = "$want" ]; then
		[ "$(cat "$out/status")" = ok ] || rc=1
		continue
	fi
	echo "==> building $name in the shared object directory (log: build/$TREE/kernels/$name/build.log)"
	mkdir -p "$out"
	rm -f "$out/stamp" "$out/status"
	git -C "$wt" checkout -q -f --detach "$rev"
	if [ -n "$diff" ] && ! git -C "$wt" apply "$diff"; then
		echo "error: $diff does not apply to $rev" >&2
		exit 1
	fi
	# shellcheck disable=SC2086
	if "$top/scripts/build/build-kernel.sh" "$wt" "$obj" $frags; then
		for f in arch/riscv/boot/Image vmlinux System.map .config; do
			cp "$obj/$f" "$out/"
		done
		echo ok > "$out/status"
	else
		echo fail > "$out/status"
		rc=1
	fi
	cp "$obj/build.log" "$out/build.log"
	echo "$want" > "$out/stamp"
	# Leave no applied diff behind for the next revision's checkout.
	[ -z "$diff" ] || git -C "$wt" checkout -q -f HEAD
done
exit $rc
