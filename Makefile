# Harness for the RISC-V KVM guest/host perf series: patches/7.3 (the
# mainline series) and patches/6.12 (its backport to 6.12 LTS).  TREE=7.3
# (the default) or TREE=6.12 picks the tree for demo, tree and export;
# check runs both.  Build outputs go to build/ and are reused between
# runs.

.PHONY: all demo check bench tree export clean

all: demo

# The main job: profile a KVM guest workload with perf kvm on the base
# and the patched kernel of TREE and show the difference.
demo:
	@scripts/demo/demo.sh

# Build the base and patched kernels of both trees and the KVM
# selftests, boot them under QEMU as KVM hosts, and check the results.
check:
	@scripts/check/check.sh

# What the series costs a host and how true its profile is, against the
# base kernel, under QEMU -icount (after make check's builds, reused);
# measured on 6.12 unless TREE says otherwise.
bench:
	@TREE=$${TREE:-6.12} scripts/bench/bench.sh

# Make build/TREE/linux: the base tree with patches/TREE applied as
# commits.
tree:
	@scripts/build/deps.sh
	@scripts/tree/make-tree.sh

# Regenerate patches/TREE from the commits in build/TREE/linux.
export:
	@scripts/tree/export-patches.sh

clean:
	rm -rf build
