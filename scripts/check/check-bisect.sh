#!/bin/sh
# Every prefix of the series must build: the kernel (main config) after
# each patch that changes it, and the KVM selftests after each patch that
# changes them.  A prefix whose kernel sources are those of the patched
# build is not built again.  Builds in build/linux-bisect.
# One "ok - ..." or "not ok - ..." line a patch.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts
tree=$b/linux
wt=$b/linux-bisect

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
same_kernel() { # same_kernel A B: no difference outside tools/ and docs
	git -C "$tree" diff --quiet "$1" "$2" -- . ':(exclude)tools' \
		':(exclude)Documentation' ':(exclude)MAINTAINERS'
}

[ -d "$wt" ] || git -C "$tree" worktree add -q --detach "$wt" base
i=0
for c in $(git -C "$tree" rev-list --reverse base..series); do
	i=$((i + 1))
	subj=$(git -C "$tree" log -1 --format=%s "$c")
	files=$(git -C "$tree" diff --name-only "$c^" "$c")
	if echo "$files" | grep -qvE '^(tools/|Documentation/|MAINTAINERS$)'; then
		if same_kernel "$c" series; then
			check 1 "patch $i builds: kernel as the patched build ($subj)"
		else
			echo "==> building the kernel at patch $i (log: build/obj/bisect/build.log)" >&2
			git -C "$wt" checkout -q --detach "$c"
			"$s/build/build-kernel.sh" "$wt" "$b/obj/bisect" >&2 && ok=1 || ok=0
			check $ok "patch $i builds: kernel ($subj)"
		fi
	fi
	if echo "$files" | grep -q '^tools/testing/selftests/kvm/'; then
		echo "==> building the KVM selftests at patch $i (log: build/selftests-bisect/build.log)" >&2
		git -C "$wt" checkout -q --detach "$c"
		mkdir -p "$b/selftests-bisect"
		make -C "$wt/tools/testing/selftests/kvm" -j"$(nproc)" ARCH=riscv \
			CROSS_COMPILE=riscv64-linux-gnu- \
			KHDR_INCLUDES="-isystem $b/obj/patched/usr/include" \
			OUTPUT="$b/selftests-bisect" LDFLAGS="-static -pthread -no-pie" \
			> "$b/selftests-bisect/build.log" 2>&1 && ok=1 || ok=0
		check $ok "patch $i builds: KVM selftests ($subj)"
	fi
done
