#!/bin/busybox sh
# Run perf's own tests (perf test) in the KVM host with one perf binary:
# the chosen built-in tests, and the chosen shell tests of the tree's
# tools/perf/tests/shell, the series' (with its new tests), unpacked
# from a tar file.  The shell tests call "perf": it is this binary.
# Busybox gives the shell and the utilities the tests use, Debian's
# static bash runs the bash ones.
# usage: perf-test.sh PERF TESTS.tar BASH LIST
# LIST names the tests, a fragment of a description a line (# comments).
# BASH is not run here: the plan names it so that the initramfs carries
# /bin/bash for the tests' #!/bin/bash.
set -u

perf=$1 tests=$2 list=$4
set --
while IFS= read -r t; do
	case $t in '#'* | '') continue ;; esac
	set -- "$@" "$t"
done < "$list"
bb=/bin/busybox
[ -e /bin/sh ] || $bb --install -s /bin
dir=/tmp/perf-test.$$
mkdir -p "$dir"
tar -C "$dir" -xf "$tests"
ln -s "$perf" "$dir/perf"
cd "$dir" || exit 1
# One test at a time (the host has 2 vCPUs, and the tests' own time
# limits assume an unloaded machine), each one's output shown (-v), and
# the seconds each fragment's tests took.
rc=0
for t in "$@"; do
	t0=$(date +%s)
	PATH=$dir:/bin PERF_EXEC_PATH=$dir perf test -S -v "$t" || rc=1
	echo "perf-test-seconds $(($(date +%s) - t0)) $t"
done
cd / && rm -rf "$dir"
exit $rc
