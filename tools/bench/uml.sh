#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-uml: ks3's CPU cost per S3 request at native speed, in
# User-Mode Linux (notes/uml.md): tools/kernel/uml.sh builds (once, cached)
# an -O2 UML kernel with brd; ks3_uml_bench.ko (tools/bench/ks3_uml_bench.c,
# the module's objects plus an in-kernel S3 client) formats /dev/ram0,
# listens on 127.0.0.1 and times SigV4-signed keep-alive PUTs and GETs from
# client kthreads over TCP loopback, then the same client against a
# trivial in-kernel HTTP responder (the baseline: TCP + client, no S3).
# Figures, not pass/fail; not part of make check.
#
#   tools/bench/uml.sh [--requests N] [--clients C] [--size BYTES]
#                      [--objects N] [--runs R] [--no-delta] [--profile]
#
#   --runs R     timed boots (default 3; the table shows the median)
#   --src COMMIT measure module/ and uapi/ of COMMIT (git archive) instead
#                of the working tree, for before/after figures (the bench
#                module and Kbuild still come from the working tree)
#   --init-on-alloc 0|1  UML's init_on_alloc= (default 1: Debian's kernel
#                has CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y, so every page and
#                slab allocation is zeroed there; the UML config is not)
#   --no-delta   skip the host task-clock delta boots (see below)
#   --profile    also `perf record -e cpu-clock` the UML process during a
#                GET-only and a PUT-only boot and print the top symbols
#                (module symbols resolved from the guest's /proc/kallsyms;
#                tools/bench/uml-profile.py)
#
# The figure to quote is cpu_us/req: the host CPU time of UML's kernel
# thread (every UML kthread runs on it; read from the host's
# /proc/thread-self/schedstat inside the module) over the phase, per
# request. Client and server share UML's one CPU, so it is the whole
# system's cost, client included; subtract the echo rows for ks3's own.
# Wall time per request is also shown but inflates whenever the host is
# busy (wait_us/req: time UML's thread waited for a host CPU).
# Cross-check (unless --no-delta): boots with mode=put|get and N/10 and N
# requests under host `perf stat -e task-clock`; (Δ task-clock)/(ΔN). This
# host has no PMU counters (instructions:u "not supported"): time, not
# instructions. UML uses generic C crypto: SHA-256 costs ~4x what SHA-NI
# costs natively (notes/uml.md), so sha256 shares are overstated.
# Output: var/bench-uml/{result.txt,timed*.dmesg,profile-*.txt,...}.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

requests=20000
clients=4
size=4096
objects=256
runs=3
delta=1
profile=0
init_on_alloc=1
src_commit=
while [ $# -gt 0 ]; do
	case $1 in
	--requests) requests=$2; shift ;;
	--clients) clients=$2; shift ;;
	--size) size=$2; shift ;;
	--objects) objects=$2; shift ;;
	--runs) runs=$2; shift ;;
	--no-delta) delta=0 ;;
	--profile) profile=1 ;;
	--init-on-alloc) init_on_alloc=$2; shift ;;
	--src) src_commit=$2; shift ;;
	*) sed -n '3,41p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
	shift
done

log() { echo "bench/uml.sh: $*" >&2; }

kdir=$(tools/kernel/uml.sh)
build=$top/var/build/uml
out=$top/var/bench-uml
root=$out/root
mkdir -p "$build/tools" "$out" "$root/bin" "$root/proc" "$root/sys" \
	"$root/dev" "$root/host" "$root/tmp"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	Kbuild module uapi "$build/"
if [ -n "$src_commit" ]; then
	rm -rf "$build/module" "$build/uapi"
	git archive "$src_commit" module uapi | tar -x -C "$build"
fi
what=$(git describe --always --dirty)
[ -z "$src_commit" ] || what="module/ and uapi/ of $(git describe --always "$src_commit")"
rsync -a --delete --exclude='*.o' --exclude='.*.cmd' tools/bench \
	"$build/tools/"
log "building ks3_uml_bench.ko against $kdir"
nice -n 10 make -s -C "$kdir" ARCH=um SUBARCH=x86_64 M="$build" \
	KS3_UML_BENCH=y -j2 modules KCFLAGS=-Werror
# The guest sees $out as /host (hostfs).
cp "$build/ks3_uml_bench.ko" "$out/"
ko=/host/ks3_uml_bench.ko

# hostfs root: static busybox and an /init that runs /host/cmd.sh.
cp -u /bin/busybox "$root/bin/busybox"
cat >"$root/init" <<'EOT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
/bin/busybox ip link set lo up
/bin/busybox mount -t hostfs none /host -o HOSTDIR
/bin/busybox sh /host/cmd.sh
/bin/busybox poweroff -f
EOT
sed -i "s|HOSTDIR|$out|" "$root/init"
chmod +x "$root/init"

# UML 6.1 on a host with AVX-512/AMX: XSTATE does not fit UML's FP buffer,
# so UML saves only the i387/SSE registers (tools/kernel/uml-patches/0001)
# and glibc's AVX/EVEX string functions in (static) busybox see corrupted
# vector registers (init died in __ctype_init). Kernel parameters of the
# form NAME=VALUE become init's environment: keep busybox on SSE2.
tunables=glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-AVX2,-AVX,-EVEX

# boot NAME INSMOD-ARGS [PERF-PREFIX...]: one UML boot running the module.
boot() {
	local name=$1 args=$2
	shift 2
	cat >"$out/cmd.sh" <<EOT
B=/bin/busybox
\$B dmesg -c >/host/$name.boot
\$B insmod $ko $args
echo "insmod rc=\$?" >/host/$name.rc
\$B grep '\[ks3_uml_bench\]' /proc/kallsyms >/host/$name.kallsyms
\$B dmesg >/host/$name.dmesg
EOT
	rm -f "$out/$name.rc" "$out/$name.dmesg"
	local tmp
	tmp=$(mktemp -d)
	# shellcheck disable=SC2086
	timeout 600 "$@" "$kdir/linux" mem=1536M rootfstype=hostfs \
		rootflags="$root" rw init=/init con0=fd:0,fd:1 con=null \
		uml_dir="$tmp" quiet init_on_alloc="$init_on_alloc" "GLIBC_TUNABLES=$tunables" </dev/null >"$out/$name.console" 2>&1 || true
	rm -rf "$tmp"
	if ! grep -q 'done: 0' "$out/$name.dmesg" 2>/dev/null; then
		log "boot $name failed; console:"
		tail -30 "$out/$name.console" >&2
		[ -f "$out/$name.dmesg" ] && grep ks3 "$out/$name.dmesg" >&2
		return 1
	fi
}

field() { # field NAME LINE
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }

: >"$out/timed.txt"
for r in $(seq 1 "$runs"); do
	log "timed boot $r/$runs: $requests requests per phase, 1 and $clients clients"
	boot "timed$r" "mode=all requests=$requests clients=$clients size=$size objects=$objects"
	grep -h 'ks3_uml_bench: result' "$out/timed$r.dmesg" | sed 's/.*result //' >>"$out/timed.txt"
done

{
	echo "ks3 per-request cost in UML ($what, $(uname -m), $size-byte objects, $objects objects, brd, TCP loopback, init_on_alloc=$init_on_alloc)"
	echo "client kthreads and server share UML's one CPU: cpu us/req is the whole system's cost per request, client included; median of $runs boots"
	echo "wall us/req: ktime in UML (inflated when the host is busy); cpu us/req: host CPU time of UML's kernel thread (/proc/thread-self/schedstat) / N; wait: time it waited for a host CPU"
	echo "rows 'echo-*': the same client against a trivial in-kernel HTTP responder (baseline)"
	printf '%-9s %-8s %-9s %-11s %-11s %-11s %-8s %-7s %s\n' op clients requests wall_us/req cpu_us/req wait_us/req req/s errors 'slow>1ms'
	for row in "ks3 put 1" "ks3 put $clients" "ks3 get 1" "ks3 get $clients" \
		"echo put 1" "echo get 1"; do
		read -r target op c <<<"$row"
		{
			lines=$(grep "target=$target op=$op .*clients=$c " "$out/timed.txt" || true)
			[ -n "$lines" ] || continue
			us=$(while read -r l; do field us_per_req "$l"; done <<<"$lines" | median)
			rps=$(while read -r l; do field req_per_s "$l"; done <<<"$lines" | median)
			cpu=$(while read -r l; do field host_cpu_us_per_req "$l"; done <<<"$lines" | median)
			wait=$(while read -r l; do echo "$(field host_wait_ns "$l") $(field requests "$l")"; done <<<"$lines" | awk '{printf "%.3f\n", $1 / $2 / 1000}' | median)
			errs=$(while read -r l; do field errors "$l"; done <<<"$lines" | awk '{s+=$1} END {print s}')
			slow=$(while read -r l; do field slow_over_1ms "$l"; done <<<"$lines" | median)
			[ "$target" = ks3 ] && name=$op || name=echo-$op
			nreq=$(field requests "$(head -n1 <<<"$lines")")
			printf '%-9s %-8s %-9s %-11s %-11s %-11s %-8s %-7s %s\n' "$name" "$c" "$nreq" "$us" "$cpu" "$wait" "$rps" "$errs" "$slow"
			eval "cpu_${target}_${op}_$c=$cpu"
		}
	done
	for op in put get; do
		k=cpu_ks3_${op}_1 e=cpu_echo_${op}_1
		if [ -z "${!k:-}" ] || [ -z "${!e:-}" ]; then continue; fi
		awk -v op="$op" -v k="${!k}" -v e="${!e}" 'BEGIN {printf "ks3 %s 4 KiB, 1 client, minus the baseline (TCP loopback + client): %.2f us CPU per request\n", op, k - e}'
	done
} >"$out/result.txt"

if [ "$delta" = 1 ]; then
	small=$((requests / 10))
	echo "host task-clock delta (boots with $small and $requests requests, 1 client): CPU of the whole UML process per request" >>"$out/result.txt"
	for op in put get; do
		declare -A tc=()
		for n in "$small" "$requests"; do
			boot "delta-$op-$n" "mode=$op requests=$n clients=1 size=$size objects=$objects" \
				perf stat -x, -e task-clock -o "$out/delta-$op-$n.stat"
			tc[$n]=$(awk -F, '/task-clock/ {print $1}' "$out/delta-$op-$n.stat")
		done
		awk -v op="$op" -v a="${tc[$small]}" -v b="${tc[$requests]}" \
			-v na="$small" -v nb="$requests" \
			'BEGIN {printf "%-5s task-clock %.1f ms (N=%d) -> %.1f ms (N=%d): %.2f us/request\n", op, a, na, b, nb, (b - a) * 1000 / (nb - na)}' \
			>>"$out/result.txt"
		unset tc
	done
fi

if [ "$profile" = 1 ]; then
	# 5x the requests: boot and setup become a small share of the samples.
	for op in get put; do
		log "profile boot: $op only, $((requests * 5)) requests, 1 client"
		boot "profile-$op" "mode=$op requests=$((requests * 5)) clients=1 size=$size objects=$objects" \
			perf record -q -g -e cpu-clock -F 5000 -o "$out/profile-$op.data"
		"$top/tools/bench/uml-profile.py" "$out/profile-$op.data" \
			"$out/profile-$op.kallsyms" >"$out/profile-$op.txt" || true
		{
			echo "profile of the $op loop (host perf record -e cpu-clock of the UML process, $op-only boot; [ks3] = module, [host] = host kernel):"
			cat "$out/profile-$op.txt"
		} >>"$out/result.txt"
	done
fi
cat "$out/result.txt"
