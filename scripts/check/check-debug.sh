#!/bin/sh
# The debug kernel: the series with KVM as a module, clang (LLVM=-14) on
# 6.12 and gcc on 7.3 (debug_make, scripts/tree/env.sh),
# BPF on perf events, /dev/mem, and lock, RCU, sleep-in-atomic,
# preemption, KASAN, UBSAN and list checking (config/matrix/*.config).
# Booted twice as the L1 KVM host, each boot with its own time limit:
# first kvm.ko loaded and unloaded under perf sampling, the KVM
# selftests, the demo's recordings with the real Linux guest and the
# safety checks of guest callchains (config/safety.plan: BPF, device
# memory, other tasks' samples, G-stage unmaps under the walk); then,
# with --stress, the stress (config/stress.plan); then, under QEMU 10
# and OpenSBI 1.5, kvm.ko loaded and unloaded and the safety checks
# once more.  The logs must be free of any splat, the stress's shares
# must hold and repeat, each safety check must pass, and every step
# must end as on the patched kernel but the series' selftests: with
# these checks under QEMU the host takes so long over each exit and
# sample that the guest runs 11% to 28% of a spin at the tests' 1000
# Hz, around perf_guest_test's own floor of 25%, so that here they must
# only run all their phases to the end; their verdict is the other
# kernels'.
# One "ok - ..." or "not ok - ..." line a check; the stress's figures go
# to build/figures/stress.txt.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/tree/env.sh"
s=$top/scripts
obj=$b/obj/debug
k=$b/kernels/debug
log=$b/logs/debug-debug.log
# With --stress, the stress boot too (not in make check: about 2.5
# minutes that the budget of make check does not have).
stress=0
[ "${1:-}" = --stress ] && stress=1

check() { if [ "$1" = 1 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
result() {
	awk -v t="$2" '$1 == "@@" && $2 == "result" && $3 == t { print $4 }' "$1"
}

echo "==> building the debug kernel (log: build/$TREE/obj/debug/build.log)" >&2
mkdir -p "$k"
rm -f "$k/Image"
if "$s/build/build-kernel.sh" "$b/linux" "$obj" "$top/config/kvm-host.config" \
	"$top/config/matrix/kvm-module.config" "$top/config/matrix/bpf.config" \
	"$top/config/matrix/safety.config" "$top/config/matrix/debug.config" \
	-- $debug_make >&2; then
	for f in arch/riscv/boot/Image vmlinux System.map .config arch/riscv/kvm/kvm.ko; do
		cp "$obj/$f" "$k/"
	done
	ok=1
else
	ok=0
fi
check $ok "debug kernel builds: KVM=m (kvm.ko), ${debug_make:-gcc}, BPF, PROVE_LOCKING, PROVE_RCU, DEBUG_ATOMIC_SLEEP, PREEMPT, DEBUG_PREEMPT, KASAN, UBSAN, DEBUG_LIST"
[ "$ok" = 1 ] || exit 0

# Two boots, each with its own time limit: the plan with the safety
# checks of guest callchains (config/safety.plan), then the stress.
# Of the demo, the steps that record: its reports, injections and
# scripts read files in user space, which the patched kernel's boot
# runs already (under KASAN they took 100 s of the boot's 250).
plan=$b/debug.plan
reload="kvm_reload 300 /bin/kvm-reload /bin/kvm.ko 3"
{
	echo "$reload"
	cat "$top/config/tests.plan"
	awk '$3 != "/bin/guest_inject" && !($3 == "/bin/perf" && / (report|script) /)' \
		"$top/config/demo.plan"
	cat "$top/config/safety.plan"
} > "$plan"
# On the tree's first platform, as the patched kernel's plan.
platform=${platforms%% *}
PLATFORM=$platform "$s/boot/boot-kernels.sh" -q -k debug "$plan" debug >&2
slog=$b/logs/stress-debug.log
rm -f "$slog"
[ "$stress" = 0 ] ||
	PLATFORM=$platform "$s/boot/boot-kernels.sh" -q -k debug "$top/config/stress.plan" stress >&2
# The safety checks again on the emulator of Debian 13, where cycles
# filter by mode, if the tree's plan ran on QEMU 7.2.
q10=$b/logs/safety10-debug.log
{ echo "$reload"; cat "$top/config/safety.plan"; } > "$b/safety10.plan"
rm -f "$q10"
if [ "$platform" = qemu7 ] && "$s/build/get-qemu10.sh" "$shared/qemu10" >&2; then
	PLATFORM=qemu10 "$s/boot/boot-kernels.sh" -q -k debug "$b/safety10.plan" safety10 >&2 || true
fi

# Each step as on the patched kernel (kvm_reload, the safety checks and
# the stress: pass).
pl=$b/logs/check-patched.log
bad=
selftests="perf_guest_test perf_guest_callchain_test"
for t in $(awk -v skip=" $selftests " '!/^#/ && NF >= 3 && index(skip, " " $1 " ") == 0 { print $1 }' "$plan"); do
	want=$(result "$pl" "$t")
	got=$(result "$log" "$t")
	[ -n "$want" ] || want=pass
	[ "$got" = "$want" ] || bad="$bad $t=${got:-none}"
done
check "$([ -z "$bad" ] && echo 1 || echo 0)" \
	"debug kernel: every step of the plan but the series' selftests ends as on the patched kernel${bad:+ (differ:$bad)}"
for t in $selftests; do
	totals=$(sed -n "/^@@ start $t\$/,/^@@ result $t /s/^# Totals: //p" "$log")
	check "$([ -n "$totals" ] && echo 1 || echo 0)" \
		"debug kernel: $t runs all its phases to the end (${totals:-no totals})"
done
retries=$(grep -c '^@@ retry' "$log" || true)
[ "$retries" = 0 ] || echo "# debug kernel: $retries reruns of upstream tests (@@ retry)"

# The safety checks of guest callchains, one line each, with what each
# program found (its lines "NAME: ok: ..." and "NAME: FAIL: ...").
for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$top/config/safety.plan"); do
	got=$(result "$log" "$t")
	what=$(sed -n "/^@@ start $t\$/,/^@@ result $t /s/^$t: \(ok\|FAIL\): //p" "$log" |
		awk '{ printf "%s%s", n++ ? "; " : "", $0 }')
	check "$([ "$got" = pass ] && echo 1 || echo 0)" \
		"safety, $t: ${what:-no output} (${got:-none})"
done

# Any splat: lockdep, RCU, KASAN, UBSAN, list debugging, sleep in
# atomic, preemption checks, warnings, oopses, stalls, hung tasks (also
# in the real Linux guest's log, shown as "guest| "), in any boot.
splats=$(cat "$log" "$slog" "$q10" 2>/dev/null | grep -E '^(guest\| )?\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|Call Trace|cut here|UBSAN|KASAN|lockdep|possible recursive|circular locking|suspicious RCU|sleeping function|DEBUG_LOCKS_WARN|list_(add|del) corruption|INFO: task|rcu.*stall|self-detected|scheduling while atomic|using smp_processor_id)' |
	head -5)
check "$([ -z "$splats" ] && echo 1 || echo 0)" \
	"debug kernel: no splat in the kernel log${splats:+ (first: $(echo "$splats" | head -1))}"
echo "$splats" | sed '/^$/d; s/^/#   /'

if [ "$stress" = 1 ]; then
	# The stress's figures, and its shares.  What attribution decides is
	# the guest's own split, [g] in [g] + [u]: the kernel phase's guest
	# samples must be 90% or more [g], the user phase's 10% or less, the
	# mixed phase's both (10% to 90%), in each round, and the rounds must
	# agree on it within 10 points; the exits phase must be 80% or more [k].
	# The guest's share of the host's time in a spin phase follows how fast
	# the machine is and is not held to a floor: on a CI machine the
	# kernel phase had [g] 17.0 then 6.9 with the split 100.0 both times,
	# where this machine had 53.2 and 69.1.  The guest must only have run
	# enough to decide, [g] + [u] 2% or more (240 of the 12000 samples of
	# a phase's round).
	fig=$b/figures/stress.txt
	mkdir -p "$b/figures"
	grep -aE '^@@ stress-|^@@ result |^stress(_vm)?: |^ *[0-9,.]+ +(cycles|instructions|cpu-clock)' "$slog" |
		sed 's/^@@ //' > "$fig" || true
	[ "$(result "$slog" stress)" = pass ] && ok=1 || ok=0
	figs=$(sed -n 's/^stress-figures //p' "$fig")
	check "$ok" "stress: system-wide perf kvm record -a -g of cycles, instructions, cpu-clock at -F max, every session and VM ends as it should: ${figs:-no figures} ($(result "$slog" stress || true))"
	awk '
		$1 == "stress-share" && $2 == "guest+host" {
			ph = $3; r = $4
			for (i = 5; i <= NF; i++) { split($i, kv, "="); v[ph, r, kv[1]] = kv[2] }
			phases[ph] = 1; if (r > rounds) rounds = r
		}
		# What the rounds must repeat: the guest split in percent, or [k].
		function same(ph, r,   t) {
			if (ph == "exits") return v[ph, r, "k"]
			t = v[ph, r, "g"] + v[ph, r, "u"]
			return t > 0 ? 100 * v[ph, r, "g"] / t : -100
		}
		function want(ph, r,   sp) {
			if (ph == "exits") return v[ph, r, "k"] >= 80
			sp = same(ph, r)
			if (v[ph, r, "g"] + v[ph, r, "u"] < 2) return 0
			if (ph == "kernel") return sp >= 90
			if (ph == "user") return sp <= 10
			return sp >= 10 && sp <= 90
		}
		END {
			rule["kernel"] = "split 90 or more"
			rule["user"] = "split 10 or less"
			rule["exits"] = "[k] 80% or more"
			rule["mixed"] = "split 10 to 90"
			split("kernel user exits mixed", ord, " ")
			for (o = 1; o <= 4; o++) {
				ph = ord[o]
				if (!(ph in phases)) {
					printf "not ok - stress, phase %s: no shares\n", ph
					continue
				}
				line = ""; ok = rounds >= 2
				for (r = 1; r <= rounds; r++) {
					line = line sprintf(" round %d: [k] %s [.] %s [g] %s [u] %s (%s %.1f);", r,
						v[ph, r, "k"], v[ph, r, "host-user"], v[ph, r, "g"], v[ph, r, "u"],
						ph == "exits" ? "[k]" : "split", same(ph, r))
					if (!want(ph, r)) ok = 0
					d = same(ph, r) - same(ph, 1)
					if (d > 10 || d < -10) ok = 0
				}
				printf "%s - stress, phase %s (4 vCPUs on 2 harts, cpu-clock at 1 kHz): %s%s, %s of the rounds within 10 points:%s\n",
					ok ? "ok" : "not ok", ph, rule[ph],
					ph == "exits" ? "" : " ([g] in [g] + [u], which is 2% or more)",
					ph == "exits" ? "[k]" : "the split", line
			}
		}' "$fig"
	[ "$(result "$slog" stress_attrs)" = pass ] && ok=1 || ok=0
	check $ok "stress: perf_event_open on a vCPU thread, every exclude_* combination, sample types, periods, inherit: $(sed -n 's/^stress_vm: attrs: //p' "$fig")"
	[ "$(result "$slog" stress_bad_guests)" = pass ] && ok=1 || ok=0
	check $ok "stress: misbehaving guests end as the KVM API says ($(grep -c '^stress_vm: bad guest' "$fig") kinds)"
fi

# Each step of the QEMU 10 boot must pass (its splats are counted above).
[ "$platform" = qemu7 ] || exit 0
bad=
for t in $(awk '!/^#/ && NF >= 3 { print $1 }' "$b/safety10.plan"); do
	got=$(result "$q10" "$t")
	[ "$got" = pass ] || bad="$bad $t=${got:-none}"
done
check "$([ -z "$bad" ] && grep -q '^@@ done' "$q10" && echo 1 || echo 0)" \
	"debug kernel under QEMU 10.0 and OpenSBI 1.5: kvm_reload and the safety checks pass ($(awk '!/^#/ && NF >= 3 { printf "%s%s", n++ ? ", " : "", $1 }' "$b/safety10.plan"))${bad:+ (differ:$bad)}"
