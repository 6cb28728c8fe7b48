#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest for make bench-s3 (tools/bench/run-s3.sh), with its
# settings in the environment file $1. Three servers on the same kind of
# virtio disk: ks3 on /dev/vda (raw), nginx on an ext4 on /dev/vdb, s3rver
# on an ext4 on /dev/vdc. s3bench runs here against 127.0.0.1. Each run
# appends one JSON line per (run, target, row) to $OUT/rows.jsonl, with
# the guest CPU ticks (/proc/stat, all CPUs, USER_HZ) over the row.
#
# BENCH_S3=list instead fills ks3 with BENCH_LIST_OBJECTS objects and
# measures ListObjectsV2 pages (plain, prefix, delimiter).
set -uo pipefail
{ # parsed whole before it runs: editing this file cannot break a running instance
. "$1"
cd "$TOP"
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
s3bench=$S3BENCH
ko=$KO
rows=$OUT/rows.jsonl
: >"$rows"
log() { echo "bench-s3: $*" >&2; }

# Non-idle ticks of all CPUs (user nice system idle iowait irq softirq steal)
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# ----------------------------------------------------------------- ks3 --
start_ks3() {
	local j
	load_deps "$ko"
	insmod "$ko" || return 1
	$s3ctl dev format /dev/vda >/dev/null || return 1
	$s3ctl dev attach /dev/vda || return 1
	$s3ctl listen add 127.0.0.1:9000 || return 1
	j=$($s3ctl -j key create bench) || return 1
	KS3_AK=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_key"])' "$j")
	KS3_SK=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret_key"])' "$j")
	$s3bench -e 127.0.0.1:9000 -a "$KS3_AK" -s "$KS3_SK" -b bench \
		-w mkbucket -q || return 1
}

# --------------------------------------------------------------- nginx --
start_nginx() {
	modprobe ext4 2>/dev/null
	mkfs.ext4 -q -F /dev/vdb || return 1
	mkdir -p /tmp/mnt/nginx && mount /dev/vdb /tmp/mnt/nginx || return 1
	mkdir -p /tmp/mnt/nginx/www/bench /tmp/mnt/nginx/tmp /tmp/nginx
	cat >/tmp/nginx/nginx.conf <<EOF
user root;
worker_processes auto;
worker_rlimit_nofile 16384;
pid /tmp/nginx/nginx.pid;
error_log /tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 600;
	keepalive_requests 100000000;
	default_type application/octet-stream;
	client_max_body_size 0;
	client_body_temp_path /tmp/mnt/nginx/tmp;
	proxy_temp_path /tmp/nginx/proxy;
	fastcgi_temp_path /tmp/nginx/fastcgi;
	uwsgi_temp_path /tmp/nginx/uwsgi;
	scgi_temp_path /tmp/nginx/scgi;
	server {
		listen 127.0.0.1:9001;
		root /tmp/mnt/nginx/www;
		location / {
			dav_methods PUT;
			create_full_put_path on;
		}
	}
}
EOF
	nginx -e /tmp/nginx/error.log -c /tmp/nginx/nginx.conf || return 1
}

# -------------------------------------------------------------- s3rver --
S3RVER_PID=
start_s3rver() {
	local i
	modprobe ext4 2>/dev/null
	mkfs.ext4 -q -F /dev/vdc || return 1
	mkdir -p /tmp/mnt/s3rver && mount /dev/vdc /tmp/mnt/s3rver || return 1
	mkdir -p /tmp/mnt/s3rver/data
	node tools/bench/s3rver/node_modules/s3rver/bin/s3rver.js \
		-d /tmp/mnt/s3rver/data -a 127.0.0.1 -p 9002 --silent \
		>/tmp/s3rver.log 2>&1 &
	S3RVER_PID=$!
	for i in $(seq 100); do
		bash -c 'exec 3<>/dev/tcp/127.0.0.1/9002' 2>/dev/null && break
		sleep 0.3
	done
	$s3bench -e 127.0.0.1:9002 -a S3RVER -s S3RVER -b bench -w mkbucket -q
}

# target_args TARGET: the s3bench options that reach it
target_args() {
	case $1 in
	ks3) echo "-e 127.0.0.1:9000 -a $KS3_AK -s $KS3_SK -b bench" ;;
	# nginx ignores the signature, but the client signs for every target
	# alike, so that its own CPU cost is the same in each row.
	nginx) echo "-e 127.0.0.1:9001 -a NGINX -s NGINXSECRET -b bench" ;;
	s3rver) echo "-e 127.0.0.1:9002 -a S3RVER -s S3RVER -b bench" ;;
	esac
}

# row RUN TARGET OP SIZE CONNS OBJECTS: one measured s3bench run
row() {
	local run=$1 t=$2 op=$3 size=$4 conns=$5 n=$6 b0 b1 j d=$BENCH_DURATION
	# 16 MiB objects: a few requests per connection need longer rows
	[ "$size" -ge 16777216 ] && d=$BENCH_LARGE_DURATION
	b0=$(busy_ticks)
	# shellcheck disable=SC2046
	j=$($s3bench $(target_args "$t") -w "$op" -z "$size" -n "$n" \
		-k "$op$size/" -c "$conns" -d "$d" -j -q)
	b1=$(busy_ticks)
	[ -n "$j" ] || j='{"requests": 0, "errors": 1}'
	python3 -c '
import json, sys
j = json.loads(sys.argv[1])
j.update(run=int(sys.argv[2]), target=sys.argv[3], op=sys.argv[4],
	 cpu_ticks=int(sys.argv[5]), user_hz=100)
print(json.dumps(j))' "$j" "$run" "$t" "$op" "$((b1 - b0))" >>"$rows"
	python3 -c '
import json, sys
j = json.loads(sys.argv[1])
print("bench-s3: run %s %-6s %-3s %9s x%-3s %8.0f req/s %8.2f MB/s p99 %8.2f ms err %d" % (
	sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], j.get("connections", 0),
	j.get("req_per_s", 0), j.get("mb_per_s", 0),
	j.get("latency_us", {}).get("p99", 0) / 1e3, j.get("errors", 0)))' \
		"$j" "$run" "$t" "$op" "$size" >&2
}

# objects_for SIZE: how many objects a GET row reads (at most ~256 MiB)
objects_for() {
	local n=$((268435456 / $1))
	[ $n -gt "$BENCH_GET_OBJECTS" ] && n=$BENCH_GET_OBJECTS
	[ $n -lt 4 ] && n=4
	echo $n
}

run_s3() {
	local t s c run up=
	for t in $BENCH_TARGETS; do
		if "start_$t"; then
			up="$up $t"
		else
			log "$t setup failed: left out"
		fi
	done
	BENCH_TARGETS=$up
	[ -n "$up" ] || return 1
	for t in $BENCH_TARGETS; do
		for s in $BENCH_GET_SIZES; do
			# shellcheck disable=SC2046
			$s3bench $(target_args "$t") -w prepare -z "$s" \
				-n "$(objects_for "$s")" -k "get$s/" -c 16 -q ||
				log "$t: prepare of $s-byte objects had errors"
			# Read each object once: every target serves GETs
			# of objects it has served before (nginx's page
			# cache is already warm from the PUTs).
			# shellcheck disable=SC2046
			$s3bench $(target_args "$t") -w warm -z "$s" \
				-n "$(objects_for "$s")" -k "get$s/" -c 16 -q ||
				log "$t: warm-up of $s-byte objects had errors"
		done
	done
	# Each row runs on the targets back to back, so that the machine's
	# drift (other load on the host under TCG) hits them alike.
	for run in $(seq "$BENCH_RUNS"); do
		for s in $BENCH_GET_SIZES; do
			for c in $BENCH_CONNS; do
				for t in $BENCH_TARGETS; do
					row "$run" "$t" get "$s" "$c" "$(objects_for "$s")"
				done
			done
		done
		for s in $BENCH_PUT_SIZES; do
			for c in $BENCH_CONNS; do
				for t in $BENCH_TARGETS; do
					row "$run" "$t" put "$s" "$c" "$BENCH_PUT_OBJECTS"
				done
			done
		done
	done
}

# LIST at scale (ks3 only)
run_list() {
	local n=$BENCH_LIST_OBJECTS b0 b1 t0 t1 mode args
	start_ks3 || { log "ks3 setup failed"; return 1; }
	log "filling ks3 with $n objects of $BENCH_LIST_SIZE bytes (keys dNNN/objNNNNNNNN over 100 prefixes)"
	t0=$(date +%s.%N)
	b0=$(busy_ticks)
	$s3bench $(target_args ks3) -w prepare -z "$BENCH_LIST_SIZE" -n "$n" \
		-D 100 -c "$BENCH_LIST_FILL_CONNS" -j -q >"$OUT/list-fill.json" ||
		log "fill had errors: $(cat "$OUT/list-fill.json")"
	b1=$(busy_ticks)
	t1=$(date +%s.%N)
	python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
j.update(target="ks3", op="fill", wall_s=float(sys.argv[2]) - float(sys.argv[3]),
	 cpu_ticks=int(sys.argv[4]), user_hz=100)
print(json.dumps(j))' "$OUT/list-fill.json" "$t1" "$t0" "$((b1 - b0))" >>"$rows"
	for mode in plain prefix delimiter; do
		case $mode in
		plain) args= ;;
		prefix) args="-p d042/" ;;
		delimiter) args="-l /" ;;
		esac
		for c in $BENCH_LIST_CONNS; do
			b0=$(busy_ticks)
			# shellcheck disable=SC2086
			j=$($s3bench $(target_args ks3) -w list -m 1000 $args \
				-c "$c" -d "$BENCH_DURATION" -j -q)
			b1=$(busy_ticks)
			python3 -c '
import json, sys
j = json.loads(sys.argv[1])
j.update(target="ks3", op="list", mode=sys.argv[2], run=1,
	 cpu_ticks=int(sys.argv[3]), user_hz=100)
print(json.dumps(j))
print("bench-s3: list %-9s x%-3d %8.1f pages/s p99 %8.2f ms err %d" % (sys.argv[2],
	j["connections"], j["req_per_s"], j["latency_us"]["p99"] / 1e3, j["errors"]),
	file=sys.stderr)' "$j" "$mode" "$((b1 - b0))" >>"$rows"
		done
	done
}

rc=0
if [ "$BENCH_S3" = list ]; then
	run_list || rc=1
else
	run_s3 || rc=1
fi
[ -n "$S3RVER_PID" ] && kill "$S3RVER_PID" 2>/dev/null
[ -f /tmp/nginx/nginx.pid ] && kill "$(cat /tmp/nginx/nginx.pid)" 2>/dev/null
cp /tmp/nginx/error.log "$OUT/nginx-error.log" 2>/dev/null
cp /tmp/s3rver.log "$OUT/s3rver.log" 2>/dev/null
if lsmod | grep -q '^ks3 '; then
	$s3ctl status >"$OUT/ks3-status.txt" 2>&1
	rmmod ks3 || rc=1
fi
dmesg >"$OUT/dmesg.txt"
sleep 1
umount /tmp/mnt/nginx /tmp/mnt/s3rver 2>/dev/null
exit $rc
}
