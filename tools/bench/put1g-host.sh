#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One-stream PUT throughput with the client outside the guest: builds
# ks3.ko from this tree into var/build/put1g-NAME, boots Debian's stock
# kernel with its port 9000 forwarded to the host, and PUTs one object of
# PUT_MB MiB (default 1024) with the host's curl (Content-Length framing,
# UNSIGNED-PAYLOAD) twice: once timed, once while the guest runs
# `perf record -a -g` (top symbols in the output). Both guest CPUs are
# ks3's; under TCG only ratios between runs in comparable conditions mean
# anything.
#
#   usage: tools/bench/put1g-host.sh NAME   (results in var/bench/put1g-host-NAME/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
name=${1:-cur}
mb=${PUT_MB:-1024}
build=$top/var/build/put1g-$name
out=$top/var/bench/put1g-host-$name
port=${PUT_PORT:-$((20000 + RANDOM % 20000))}
mkdir -p "$build" "$out"
rm -f "$out/keys" "$out/perf" "$out/done" "$out/perf-top.txt"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	Kbuild module uapi "$build/"
make -s -C "$(tools/kdir.sh)" M="$build" modules
make -s -C userland >/dev/null

cat >"$out/guest.sh" <<EOT
#!/bin/bash
set -eu
cd $top
. tests/lib.sh
load_deps $build/module/ks3.ko
insmod $build/module/ks3.ko
s3ctl=userland/s3ctl/s3ctl
\$s3ctl dev format /dev/vda >/dev/null
\$s3ctl dev attach /dev/vda
\$s3ctl listen add 0.0.0.0:9000
\$s3ctl -j key create bench >$out/keys.tmp
mv $out/keys.tmp $out/keys
while [ ! -e $out/perf ] && [ ! -e $out/done ]; do sleep 0.2; done
if [ -e $out/perf ]; then
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	perf record -q -a -g -o /tmp/p.data -- bash -c \
		'touch $out/perf-on; while [ ! -e $out/done ]; do sleep 0.2; done'
	perf report -i /tmp/p.data --no-children --sort sym --stdio 2>/dev/null |
		grep -v '^#' | grep '%' | head -60 >$out/perf-top.txt || true
fi
\$s3ctl dev detach
EOT
chmod +x "$out/guest.sh"
tools/vm/run --kernel stock --mem 2048 --disk "$out/disk.img:4G" \
	--fwd "$port:9000" --timeout "${PUT_TIMEOUT:-1800}" \
	--log "$out/console.log" -- "$out/guest.sh" >"$out/vm.out" 2>&1 &
vm=$!
for _ in $(seq 600); do
	[ -e "$out/keys" ] && break
	kill -0 $vm 2>/dev/null || { cat "$out/vm.out"; exit 1; }
	sleep 1
done
ak=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_key"])' "$out/keys")
sk=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret_key"])' "$out/keys")
src=$(mktemp)
head -c "${mb}M" /dev/zero >"$src"
s3() {
	curl -sS -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 --user "$ak:$sk" \
		-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}
s3 -X PUT "http://127.0.0.1:$port/bench"
s3 -w "timed: %{http_code} %{time_total} s %{speed_upload} B/s\n" \
	-T "$src" "http://127.0.0.1:$port/bench/one" | tee "$out/result.txt"
if [ "${PUT_PERF:-1}" = 1 ]; then
	touch "$out/perf"
	while [ ! -e "$out/perf-on" ]; do sleep 0.2; done
	sleep 1
	s3 -w "perf run: %{http_code} %{time_total} s %{speed_upload} B/s\n" \
		-T "$src" "http://127.0.0.1:$port/bench/two" | tee -a "$out/result.txt"
fi
touch "$out/done"
rm -f "$src"
wait $vm || { cat "$out/vm.out"; exit 1; }
rm -f "$out/disk.img" "$out/perf" "$out/perf-on" "$out/done" "$out/keys"
head -30 "$out/perf-top.txt" 2>/dev/null || true
