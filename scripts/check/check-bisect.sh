#!/bin/sh
# Every prefix of the series must build: the kernel (main config) after
# each patch that changes it, and the KVM and perf_events selftests
# (build-selftests.sh) after each patch that changes them.  A prefix
# whose kernel sources are those of the patched build is not built
# again.  The kernels are built one after the other in the object
# directory of the tree's kernels (build-walk.sh), each incrementally;
# the selftests in build/TREE/linux-bisect.
# One "ok - ..." or "not ok - ..." line a patch.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
tree=$b/linux
wt=$b/linux-bisect

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
same_kernel() { # same_kernel A B: no difference outside tools/ and docs
	git -C "$tree" diff --quiet "$1" "$2" -- . ':(exclude)tools' \
		':(exclude)Documentation' ':(exclude)MAINTAINERS'
}
files() { git -C "$tree" diff --name-only "$1^" "$1"; }
changes_kernel() { files "$1" | grep -qvE '^(tools/|Documentation/|MAINTAINERS$)'; }
changes_selftests() { files "$1" | grep -qE '^tools/testing/selftests/(kvm|perf_events)/'; }

revs=$(git -C "$tree" rev-list --reverse base..series)
walk= i=0
for c in $revs; do
	i=$((i + 1))
	changes_kernel "$c" && ! same_kernel "$c" series && walk="$walk patch$i=$c"
done
# shellcheck disable=SC2086
[ -z "$walk" ] || "$s/build/build-walk.sh" "$b/obj/walk" "$top/config/kvm-host.config" \
	$walk >&2 || true

[ -d "$wt" ] || git -C "$tree" worktree add -q --detach "$wt" base
i=0
for c in $revs; do
	i=$((i + 1))
	subj=$(git -C "$tree" log -1 --format=%s "$c")
	if changes_kernel "$c"; then
		if same_kernel "$c" series; then
			check 1 "patch $i builds: kernel as the patched build ($subj)"
		else
			[ "$(cat "$b/kernels/patch$i/status" 2>/dev/null)" = ok ] && ok=1 || ok=0
			check $ok "patch $i builds: kernel ($subj)"
		fi
	fi
	if changes_selftests "$c"; then
		echo "==> building the KVM selftests at patch $i (log: build/$TREE/selftests-bisect/build.log)" >&2
		git -C "$wt" checkout -q --detach "$c"
		"$s/build/build-selftests.sh" "$wt" "$b/obj/headers-bisect" \
			"$b/selftests-bisect" >/dev/null 2>&1 && ok=1 || ok=0
		check $ok "patch $i builds: KVM and perf_events selftests ($subj)"
	fi
done
