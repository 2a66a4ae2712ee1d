#!/bin/sh
# Make the kernel git tree of TREE (6.12 or 7.3, scripts/tree/env.sh):
# Debian's linux-source-TREE as one base commit (branch "base", also
# checked out in build/TREE/linux-base/), and the tree's series from
# patches/TREE/ applied with git am on branch "series" in build/TREE/linux/.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
tree=$b/linux

src=$("$top/scripts/tree/get-source.sh")
tarball=${src% *} srcver=${src#* }
mkdir -p "$b"

if [ ! -d "$tree/.git" ] || [ "$(cat "$b/base.stamp" 2>/dev/null)" != "$srcver" ]; then
	echo "==> making base tree from $srcpkg $srcver"
	rm -rf "$tree" "$b/linux-base" "$b/linux-walk" "$b/linux-bisect" "$b/linux-naive" \
		"$b/extract" "$b/series.stamp" "$b/naive.stamp"
	mkdir -p "$b/extract"
	tar -C "$b/extract" -xf "$tarball"
	mv "$b/extract/$srcpkg" "$tree"
	rmdir "$b/extract"
	cd "$tree"
	# Debian's .gitignore ends by ignoring the whole top level; drop that
	# block so that git sees the tree (and new files) as usual.
	sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
	sed -i '${/^#$/d}' .gitignore
	ver=$(make -s kernelversion)
	# Fixed identity and date: the base commit id depends only on the
	# package version, so base-commit in patches/ is reproducible.
	when="$(stat -c %Y Makefile) +0000"
	git init -q -b series .
	git config gc.auto 0
	git add -A
	GIT_AUTHOR_NAME="Debian $srcpkg" \
	GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org" \
	GIT_COMMITTER_NAME="Debian $srcpkg" \
	GIT_COMMITTER_EMAIL="debian-kernel@lists.debian.org" \
	GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when" \
		git commit -q -m "Linux $ver (Debian $srcpkg $srcver)"
	git branch base
	git worktree add -q --detach "$b/linux-base" base
	echo "$srcver" > "$b/base.stamp"
fi

cd "$tree"
stamp=$(cat "$patches"/*.patch 2>/dev/null | sha1sum | cut -d' ' -f1)
[ "$(cat "$b/series.stamp" 2>/dev/null)" = "$stamp" ] && exit 0

echo "==> applying patches/$TREE onto base"
# git am needs a committer; a fresh machine may have no git identity.
if ! git config user.email >/dev/null; then
	export GIT_COMMITTER_NAME="patch harness" GIT_COMMITTER_EMAIL="harness@localhost"
fi
[ -d .git/rebase-apply ] && git am --abort
git checkout -q series
# Remember when the files of the old series were written: those that end
# up the same keep that time, so make rebuilds only what changed.
old=$(git rev-parse HEAD)
git diff --name-only base "$old" | while read -r f; do
	if [ -f "$f" ]; then echo "$(stat -c %Y "$f") $f"; fi
done > "$b/series.mtimes"
rm -f "$b/series.stamp"
git reset -q --hard base
for p in "$patches"/0*.patch; do
	case "$p" in *0000-cover-letter.patch|*"0*.patch") continue ;; esac
	if ! git am -q -3 "$p" >"$b/am.log" 2>&1; then
		cat "$b/am.log" >&2
		git am --abort
		echo "error: $(basename "$p") does not apply to the base tree" >&2
		exit 1
	fi
done
while read -r t f; do
	if [ "$(git rev-parse -q --verify "$old:$f")" = "$(git rev-parse -q --verify "HEAD:$f")" ]; then
		touch -d "@$t" "$f"
	fi
done < "$b/series.mtimes"
echo "$stamp" > "$b/series.stamp"
