#!/bin/sh
# Run checkpatch.pl --strict on each patch of the series: one "ok - ..."
# or "not ok - ..." line a patch, with the findings on failure.
# usage: checkpatch-series.sh TREE PATCHDIR
set -eu

tree=$1 dir=$(cd "$2" && pwd)
# checkpatch.pl reads the tree it runs in (and misjudges context lines
# when run from outside one).
cd "$tree"
# Its spdxcheck.py wants Debian's python3 with python3-ply and python3-git.
# New files under tools/testing/selftests/kvm/riscv/ are covered by the
# KVM/riscv entry of MAINTAINERS; checkpatch asks about every new file.
known='does MAINTAINERS need updating'
# The harness's tree holds Debian's source as one commit, not upstream's
# history: the commit ids that "Upstream:" lines cite are unknown to it.
ignore=UNKNOWN_COMMIT_ID
# A perf shell test's description is on its second line where perf test
# reads it from there (6.12; mainline skips the SPDX line): its SPDX tag
# is on the third, as in all of that tree's shell tests.
grep -q '"SPDX-License"' tools/perf/tests/tests-scripts.c 2>/dev/null ||
	shell_tests=1

for p in "$dir"/0*.patch; do
	case "$p" in *0000-cover-letter.patch) continue ;; esac
	i=$ignore
	[ -n "${shell_tests:-}" ] && grep -q '^+++ b/tools/perf/tests/shell/' "$p" &&
		i=$i,SPDX_LICENSE_TAG
	out=$(PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict --ignore $i --no-summary --terse "$p" 2>&1 |
		grep -v "$known" || true)
	if [ -z "$out" ]; then
		echo "ok - checkpatch --strict: $(basename "$p")"
	else
		echo "not ok - checkpatch --strict: $(basename "$p")"
		echo "$out" | sed 's/^/# /'
	fi
done
