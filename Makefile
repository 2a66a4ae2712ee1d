# Harness for the RISC-V KVM guest/host perf series in patches/.
# Build outputs go to build/ and are reused between runs.

.PHONY: all demo check bench tree export clean

all: demo

# The main job: profile a KVM guest workload with perf kvm on the base
# and the patched kernel and show the difference.
demo:
	@scripts/demo/demo.sh

# Build base and patched kernels and the KVM selftests, boot both under
# QEMU as KVM hosts, and check the results.
check:
	@scripts/check/check.sh

# What the series costs a host and how true its profile is, against the
# base kernel, under QEMU -icount (after make check's builds, reused).
bench:
	@scripts/bench/bench.sh

# Make build/linux: the base tree with patches/ applied as commits.
tree:
	@scripts/build/deps.sh
	@scripts/tree/make-tree.sh

# Regenerate patches/ from the commits in build/linux.
export:
	@scripts/tree/export-patches.sh

clean:
	rm -rf build
