#!/bin/sh
# get_maintainer.pl on the series must name the RISC-V, KVM/riscv and
# perf maintainers and lists.  One "ok - ..." or "not ok - ..." line.
# usage: check-maintainers.sh TREE PATCHDIR
set -eu

tree=$1 dir=$(cd "$2" && pwd)
cd "$tree"
out=$(scripts/get_maintainer.pl --no-git-fallback "$dir"/0*.patch 2>/dev/null || true)
missing=
# The role of an entry ("maintainer", "supporter") differs between trees.
for who in ":KERNEL VIRTUAL MACHINE FOR RISC-V (KVM/riscv))" \
	":RISC-V ARCHITECTURE)" ":PERFORMANCE EVENTS SUBSYSTEM)" \
	"kvm-riscv@lists.infradead.org" "linux-riscv@lists.infradead.org" \
	"linux-perf-users@vger.kernel.org" "kvm@vger.kernel.org"; do
	echo "$out" | grep -qF "$who" || missing="$missing $who"
done
if [ -z "$missing" ]; then
	echo "ok - get_maintainer.pl names the RISC-V, KVM/riscv and perf maintainers and lists"
else
	echo "not ok - get_maintainer.pl misses:$missing"
fi
