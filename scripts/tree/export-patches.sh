#!/bin/sh
# Regenerate patches/TREE/ from the commits on branch "series" of
# build/TREE/linux (TREE: 6.12 or 7.3, scripts/tree/env.sh).
# The cover letter's subject and text come from series/TREE/cover-letter.txt
# (first paragraph: subject).  Output depends only on the commits and
# that file: no commit ids, no dates of today, no git version.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
tree=$b/linux
[ -d "$tree/.git" ] || { echo "error: no tree in $tree; run make tree" >&2; exit 1; }

cd "$tree"
n=$(git rev-list --count base..series)
[ "$n" -gt 0 ] || { echo "error: branch series has no commits on base" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -c branch.series.description="$(cat "$top/series/$TREE/cover-letter.txt")" \
	-c diff.noprefix=false \
	format-patch -q --cover-letter --cover-from-description=subject \
	--base=base --zero-commit --no-signature --no-thread \
	-o "$tmp" base..series

# The cover letter is dated with the last patch, not with today.
last=$(git log -1 --format=%aD series)
sed -i "s/^Date: .*/Date: $last/" "$tmp/0000-cover-letter.patch"

rm -f "$patches"/*.patch
mkdir -p "$patches"
cp "$tmp"/*.patch "$patches/"
echo "==> patches/$TREE: $n patches and a cover letter"
# The tree already holds these patches: make-tree.sh need not re-apply them.
cat "$patches"/*.patch | sha1sum | cut -d' ' -f1 > "$b/series.stamp"
