#!/bin/sh
# KVM as a module: boot the KVM=m build (build/obj/kvm-module) as the L1
# host, load and unload kvm.ko several times under perf sampling, then
# run perf_guest_test on the reloaded module (with the storm floor of
# config/tests.plan for QEMU without -icount).  One "ok - ..." or
# "not ok - ..." line a check.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
s=$top/scripts
obj=$b/obj/kvm-module
rounds=3

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t { print $4 }' "$1"
}

mkdir -p "$b/module"
riscv64-linux-gnu-gcc -static -O2 -Wall -Werror -isystem "$b/obj/patched/usr/include" \
	-o "$b/module/kvm-reload" "$top/init/kvm-reload.c"
cat > "$b/module/module.plan" <<EOP
kvm_reload 300 /bin/kvm-reload /bin/kvm.ko $rounds
perf_guest_test 180 /bin/perf_guest_test -s 50
EOP
"$s/build/build-initramfs.sh" "$b/initramfs/module.gz" "$b/obj/patched/usr/gen_init_cpio" \
	"$b/module/module.plan" "$b/module/kvm-reload" "$obj/arch/riscv/kvm/kvm.ko" \
	"$b/selftests/riscv/perf_guest_test" >&2

log=$b/logs/module.log
echo "==> booting the KVM=m kernel, reloading kvm.ko (log: build/logs/module.log)" >&2
"$s/boot/boot.sh" "$obj/arch/riscv/boot/Image" "$b/initramfs/module.gz" "$log" 600 \
	>/dev/null || true

[ "$(result "$log" kvm_reload)" = pass ] && ok=1 || ok=0
check $ok "KVM=m: kvm.ko loaded and unloaded $rounds times under perf sampling"
[ "$(result "$log" perf_guest_test)" = pass ] && ok=1 || ok=0
check $ok "KVM=m: perf_guest_test passes after the reloads"
grep -qE '^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|Call Trace|cut here)' \
	"$log" && ok=0 || ok=1
check $ok "KVM=m: no warning, oops or panic in the kernel log"
