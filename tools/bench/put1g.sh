#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One-stream PUT throughput: builds ks3.ko from this tree into
# var/build/put1g-NAME, boots Debian's stock kernel, and PUTs one object of
# PUT_MB MiB (default 1024) with curl (Content-Length framing,
# UNSIGNED-PAYLOAD) from tmpfs to a listener on 127.0.0.1, twice: once
# timed, once under `perf record -a -g` (top symbols in the output).
# The client runs in the same guest. Under TCG only ratios between runs in
# comparable conditions mean anything.
#
#   usage: tools/bench/put1g.sh NAME     (results in var/bench/put1g-NAME/)
#   PUT_MB (default 1024), PUT_PERF=0 skips the profiled run
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
name=${1:-cur}
mb=${PUT_MB:-1024}
build=$top/var/build/put1g-$name
out=$top/var/bench/put1g-$name
mkdir -p "$build" "$out"
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
\$s3ctl listen add 127.0.0.1:9000
key=\$(\$s3ctl -j key create bench)
ak=\$(echo "\$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])')
sk=\$(echo "\$key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret_key"])')
s3() {
	curl -sS -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 --user "\$ak:\$sk" \
		-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "\$@"
}
s3 -X PUT http://127.0.0.1:9000/bench
mkdir -p /tmp/src && mount -t tmpfs -o size=1200m tmpfs /tmp/src
head -c ${mb}M /dev/zero >/tmp/src/obj
s3 -w 'timed: %{http_code} %{time_total} s %{speed_upload} B/s\n' \
	-T /tmp/src/obj http://127.0.0.1:9000/bench/one
[ "${PUT_PERF:-1}" = 1 ] || { \$s3ctl dev detach; exit 0; }
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
perf record -q -a -g -o /tmp/p.data -- curl -sS -o /dev/null \
	--aws-sigv4 aws:amz:us-east-1:s3 --user "\$ak:\$sk" \
	-H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	-w 'perf run: %{http_code} %{time_total} s %{speed_upload} B/s\n' \
	-T /tmp/src/obj http://127.0.0.1:9000/bench/two
perf report -i /tmp/p.data --no-children --sort sym --stdio 2>/dev/null |
	grep -v '^#' | grep '%' | head -40 >$out/perf-top.txt || true
grep -m3 -A3 'name *: md5\$' /proc/crypto | grep driver || true
\$s3ctl dev detach
EOT
chmod +x "$out/guest.sh"
tools/vm/run --kernel stock --mem 3072 --disk "$out/disk.img:4G" \
	--timeout "${PUT_TIMEOUT:-1800}" --log "$out/console.log" \
	-- "$out/guest.sh" 2>&1 | tee "$out/result.txt"
rm -f "$out/disk.img"
cat "$out/perf-top.txt" 2>/dev/null | head -25
