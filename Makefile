# Harness for the RISC-V KVM guest/host perf series in patches/.
# Build outputs go to build/ and are reused between runs.

.PHONY: all check tree export clean

all: check

# Build base and patched kernels and the KVM selftests, boot both under
# QEMU as KVM hosts, and check the results.
check:
	@scripts/check.sh

# Make build/linux: the base tree with patches/ applied as commits.
tree:
	@scripts/deps.sh
	@scripts/make-tree.sh

# Regenerate patches/ from the commits in build/linux.
export:
	@scripts/export-patches.sh

clean:
	rm -rf build
