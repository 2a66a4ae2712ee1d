# Sourced by the harness's scripts, after they set top: which kernel
# tree they work on, and where its files are.
#   TREE=6.12: Debian's linux-source-6.12, the backport series
#             in patches/6.12;
#   TREE=7.3 (default): Debian's linux-source-7.3 (mainline 7.3), the mainline
#             series in patches/7.3.
# b is the tree's own build directory (build/TREE: its git tree, kernels,
# selftests, perf, logs); shared is what both trees use (build/: the
# libraries perf links, QEMU 10, the host tools).
TREE=${TREE:-7.3}
# tree_kernels: what make check builds and boots of the tree.  On 6.12, the
# base, the series with the naive attribution fixture (naive: every
# interrupt while a vCPU is loaded is the guest's, as mainline counts
# it) and the series (patched); on 7.3 the base is that naive kernel.
# platforms: the emulators the tree's plan boots on (boot.sh PLATFORM),
# the first of them also the upstream suite (suite_plan).
# base_fails: upstream tests that fail on the base because they catch a
# bug the series fixes, and must pass or skip alike on every kernel with
# it: on 6.12, sbi_pmu_test, whose basic sanity check now reads a firmware
# counter before configuring it and expects an error (6.12 patch 1, the
# backport of mainline's fix, updates the test as 7.3 has it; 6.12's
# base returns success and a word of host memory).
# debug_make: how the debug kernel is compiled (check-debug.sh): clang on
# 6.12; gcc on 7.3, which asks for LLVM 17 where Debian 12 has 14 to 16.
case $TREE in
6.12) srcpkg=linux-source-6.12 srcver_pin= tree_kernels="base naive patched"
	platforms=qemu7 suite_plan=$top/config/suite.plan debug_make=LLVM=-14
	base_fails=sbi_pmu_test ;;
7.3) srcpkg=linux-source-7.3 srcver_pin=7.3.4-1~bpo13+1 tree_kernels="base patched"
	platforms="qemu10 qemu10-aia" suite_plan=$top/config/suite-7.3.plan debug_make=
	base_fails= ;;
*) echo "error: unknown TREE '$TREE' (6.12 or 7.3)" >&2; exit 1 ;;
esac
shared=$top/build
b=$shared/$TREE
patches=$top/patches/$TREE
export TREE
