#!/bin/bash
# Runs inside the guest on Debian's stock kernel (tests/integration/run.sh):
# the S3 control plane. Listeners: add, delete and list on IPv4 and IPv6,
# refusals (duplicate, a port in use, an address the guest does not have,
# bad syntax), TCP connects counted, nothing kept across a module reload,
# and rmmod with a listener and a client connection open. Settings: get
# without and with a store, set refused without one, every name settable,
# bad values refused with the module's message, values kept across
# detach/attach and module reload, unset. Prints ok/not ok lines and the
# summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
ko=${KS3_KO:-module/ks3.ko}
dev=/dev/vda
tmp=$(mktemp -d)
dmesg -C
dbg=/sys/kernel/debug
[ -w $dbg/kmemleak ] && echo clear >$dbg/kmemleak

# expect_fail NAME STATUS REGEX COMMAND...: COMMAND exits STATUS and says
# REGEX in exactly one stderr line.
expect_fail() {
	local name=$1 status=$2 regex=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$status" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	   grep -Eq "$regex" "$tmp/err"; then
		ok "$name"
	else
		not_ok "$name (exit $rc: $(head -c 300 "$tmp/err"))"
	fi
}

# json COMMAND PYTHON: runs PYTHON with `j` the JSON COMMAND prints.
json() {
	local cmd=$1
	$cmd >"$tmp/j.json" 2>"$tmp/j.err" || return 1
	python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
$2
" "$tmp/j.json"
}

# tcp_connect HOST PORT: a TCP connection opens (and is closed at once).
tcp_connect() {
	timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

export -f tcp_connect
# insmod loads no dependencies: load what ks3.ko names, as modprobe
# would: its soft dependencies first (the accelerated digest drivers,
# crc32c_intel before libcrc32c picks its driver), then libcrc32c and crc64
# (modules on Debian's 6.1; built in on the debug kernel).
for m in $(modinfo -F softdep "$ko" 2>/dev/null | sed 's/pre://; s/post:.*//') \
	libcrc32c $(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' '); do
	modprobe "$m" 2>/dev/null
done
check "insmod ks3.ko" insmod "$ko"

# ---------------------------------------------------------- listeners --
check "listen list: none after load" json "$s3ctl listen list -j" \
	'assert j == [], j'
check "listen add 127.0.0.1:9000" $s3ctl listen add 127.0.0.1:9000
check "a TCP connect to 127.0.0.1:9000 succeeds" tcp_connect 127.0.0.1 9000
sleep 0.5
check "listen list -j: the listener and one accepted connection" \
	json "$s3ctl listen list -j" '
assert j == [{"family": "ipv4", "address": "127.0.0.1", "port": 9000,
	      "accepted": 1}], j'
check "status counts one listener" json "$s3ctl status -j" \
	'assert j["listeners"] == 1, j'
expect_fail "a duplicate add: already listening" 1 \
	"^s3ctl: listen add: already listening on that address and port$" \
	$s3ctl listen add 127.0.0.1:9000
expect_fail "0.0.0.0:9000 over 127.0.0.1:9000: address already in use" 1 \
	"^s3ctl: listen add: address already in use" \
	$s3ctl listen add 0.0.0.0:9000
check "listen add [::1]:9000 (IPv6 only: no clash with IPv4)" \
	$s3ctl listen add '[::1]:9000'
check "a TCP connect to [::1]:9000 succeeds" tcp_connect ::1 9000
check "listen add 0.0.0.0:9001" $s3ctl listen add 0.0.0.0:9001
check "listen add [::]:9001 next to 0.0.0.0:9001" $s3ctl listen add '[::]:9001'
check "a TCP connect to 10.0.2.15:9001 (the guest's address) succeeds" \
	tcp_connect 10.0.2.15 9001
check "a TCP connect to [::1]:9001 succeeds" tcp_connect ::1 9001
$s3ctl listen list >"$tmp/list.txt"
check "listen list: four listeners, a header line" \
	test "$(wc -l <"$tmp/list.txt")" -eq 5
check "listen list shows ::1 and 0.0.0.0" \
	grep -Eq '^::1 +9000 +1$' "$tmp/list.txt"
check "status counts four listeners" json "$s3ctl status -j" \
	'assert j["listeners"] == 4, j'

# Another program holding a port.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 9100)); s.listen()
open(sys.argv[1], "w").close(); time.sleep(60)' "$tmp/held" &
holder=$!
for _ in $(seq 50); do [ -e "$tmp/held" ] && break; sleep 0.1; done
expect_fail "a port another program listens on: address already in use" 1 \
	"^s3ctl: listen add: address already in use \(another listener or program has the port\)$" \
	$s3ctl listen add 127.0.0.1:9100
kill $holder 2>/dev/null
wait $holder 2>/dev/null
expect_fail "an address the guest does not have" 1 \
	"^s3ctl: listen add: no interface has that address$" \
	$s3ctl listen add 192.0.2.1:9000
expect_fail "bad syntax: a usage error (exit 2)" 2 \
	"^s3ctl: listen add: invalid address '1.2.3:9000': '1.2.3' is not an IPv4 address" \
	$s3ctl listen add 1.2.3:9000
expect_fail "an IPv6 address without brackets" 2 \
	"goes in brackets" $s3ctl listen add ::1:9000
expect_fail "port 0" 2 "the port must be 1 to 65535" \
	$s3ctl listen add 127.0.0.1:0
expect_fail "del of a listener that is not there" 1 \
	"^s3ctl: listen del: not listening on that address and port$" \
	$s3ctl listen del 127.0.0.1:9999
check "listen del [::]:9001" $s3ctl listen del '[::]:9001'
check "a TCP connect to [::1]:9001 is refused once deleted" \
	bash -c "! tcp_connect ::1 9001"
check "0.0.0.0:9001 still serves" tcp_connect 127.0.0.1 9001
check "the same address again right after del" \
	bash -c "$s3ctl listen add '[::]:9001' && $s3ctl listen del '[::]:9001'"
check "listen del 0.0.0.0:9001" $s3ctl listen del 0.0.0.0:9001
check "status counts two listeners" json "$s3ctl status -j" \
	'assert j["listeners"] == 2, j'
expect_fail "an unprivileged user cannot add a listener" 1 \
	"[Pp]ermission|not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	$s3ctl listen add 127.0.0.1:9002

# ----------------------------------------------------------- settings --
check "config get without a store: defaults, none set" \
	json "$s3ctl config get -j" '
names = [s["name"] for s in j]
assert names == ["region", "vhost_domain", "max_connections",
		 "max_header_bytes", "max_header_count", "max_url_bytes",
		 "idle_timeout_ms", "header_timeout_ms", "body_timeout_ms",
		 "discard_timeout_ms", "min_rate_bytes", "min_rate_grace_ms",
		 "max_conns_per_addr", "conn_buffer_bytes",
		 "global_buffer_bytes"], names
assert all(s["value"] == s["default"] and not s["set"] for s in j), j
assert j[0]["value"] == "us-east-1", j'
expect_fail "config set without a store is refused" 1 \
	"^s3ctl: config set: settings live on the device: attach one first$" \
	$s3ctl config set region eu-west-3
$s3ctl dev format $dev >/dev/null 2>&1
check "dev attach" $s3ctl dev attach $dev
expect_fail "an unknown setting" 1 \
	"^s3ctl: config set: no such setting \(s3ctl config get lists them\)$" \
	$s3ctl config set colour blue

# bad_value NAME VALUE MESSAGE
bad_value() {
	expect_fail "config set $1 '$2' is refused" 1 "^s3ctl: config set: $3\$" \
		$s3ctl config set -- "$1" "$2"
}
bad_value max_connections 0 "max_connections must be 1\.\.65536"
bad_value max_connections 65537 "max_connections must be 1\.\.65536"
bad_value max_connections -1 "max_connections must be 1\.\.65536"
bad_value max_connections 12abc "max_connections must be 1\.\.65536"
bad_value max_connections 99999999999999999999999 "max_connections must be 1\.\.65536"
bad_value max_header_bytes 1023 "max_header_bytes must be 1024\.\.16384"
bad_value max_header_count 129 "max_header_count must be 8\.\.128"
bad_value max_url_bytes 255 "max_url_bytes must be 256\.\.16384"
bad_value idle_timeout_ms 999 "idle_timeout_ms must be 1000\.\.3600000"
bad_value conn_buffer_bytes 4096 "conn_buffer_bytes must be 16384\.\.4194304"
bad_value global_buffer_bytes 1 "global_buffer_bytes must be 4194304\.\.1099511627776"
bad_value region US-EAST-1 "region must be 1 to 63 characters of a-z, 0-9 and '-'"
bad_value region "" "region must be 1 to 63 characters of a-z, 0-9 and '-'"
bad_value region "$(printf 'a%.0s' $(seq 64))" "region must be 1 to 63 characters of a-z, 0-9 and '-'"
bad_value vhost_domain -s3.example.com "vhost_domain must be a DNS name or empty .*"
bad_value vhost_domain s3..example.com "vhost_domain must be a DNS name or empty .*"
bad_value vhost_domain "s3.example.com." "vhost_domain must be a DNS name or empty .*"
check "config set max_url_bytes 4096" $s3ctl config set max_url_bytes 4096
bad_value max_header_bytes 2048 "max_url_bytes must not exceed max_header_bytes"
check "a refused value changed nothing" json "$s3ctl config get -j" '
v = {s["name"]: (s["value"], s["set"]) for s in j}
assert v["max_header_bytes"] == ("16384", False), v
assert v["max_connections"] == ("1024", False), v
assert v["region"] == ("us-east-1", False), v'

# Every name the table has is one the store takes.
check "every setting can be set to its default" json "$s3ctl config get -j" "
import subprocess
for s in j:
    if s['default'] == '':
        continue
    subprocess.run(['$s3ctl', 'config', 'set', s['name'], s['default']],
                   check=True)"
check "config set region eu-west-3" $s3ctl config set region eu-west-3
check "config set vhost_domain s3.example.com" \
	$s3ctl config set vhost_domain s3.example.com
check "config set max_connections 0100 (kept as 100)" \
	$s3ctl config set max_connections 0100
check "config set global_buffer_bytes 1099511627776" \
	$s3ctl config set global_buffer_bytes 1099511627776
check "config get NAME -j: one setting" json "$s3ctl config get region -j" \
	'assert j == {"name": "region", "value": "eu-west-3",
		      "default": "us-east-1", "set": True}, j'
expect_fail "config get of an unknown name" 1 "no such setting 'colour'" \
	$s3ctl config get colour
$s3ctl config get >"$tmp/config.txt"
check "config get: a table with every setting" \
	grep -Eq '^vhost_domain +s3\.example\.com +- +yes$' "$tmp/config.txt"

settings_kept() {
	json "$s3ctl config get -j" '
v = {s["name"]: (s["value"], s["set"]) for s in j}
assert v["region"] == ("eu-west-3", True), v
assert v["vhost_domain"] == ("s3.example.com", True), v
assert v["max_connections"] == ("100", True), v
assert v["max_url_bytes"] == ("8192", True), v
assert v["global_buffer_bytes"] == ("1099511627776", True), v
assert v["idle_timeout_ms"] == ("60000", True), v'
}
check "the settings are live" settings_kept
check "dev detach" $s3ctl dev detach
check "detached: the defaults are live, none set" \
	json "$s3ctl config get -j" '
assert all(s["value"] == s["default"] and not s["set"] for s in j), j'
check "dev attach again" $s3ctl dev attach $dev
check "the settings came back with the store" settings_kept
check "config unset region" $s3ctl config unset region
check "config unset vhost_domain" $s3ctl config unset vhost_domain
check "unset: back to the default, not set" json "$s3ctl config get -j" '
v = {s["name"]: (s["value"], s["set"]) for s in j}
assert v["region"] == ("us-east-1", False), v
assert v["vhost_domain"] == ("", False), v'
check "config set region eu-west-3 again" $s3ctl config set region eu-west-3
expect_fail "an unprivileged user cannot change settings" 1 \
	"[Pp]ermission|not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	$s3ctl config set region us-west-2

# max_connections is live: one connection open, the next one is refused.
check "config set max_connections 1" $s3ctl config set max_connections 1
exec 4<>/dev/tcp/127.0.0.1/9000
sleep 0.5
check "over max_connections: 503 and closed" bash -c '
exec 5<>/dev/tcp/127.0.0.1/9000 && timeout 5 head -n1 <&5 | grep -q "^HTTP/1.1 503"'
exec 4<&-
sleep 0.5
check "config set max_connections 1024" $s3ctl config set max_connections 1024

# --------------------------------------------- rmmod with clients open --
exec 3<>/dev/tcp/127.0.0.1/9000
sleep 0.5
check "status: a client connection is open" json "$s3ctl status -j" \
	'assert j["connections"] >= 1, j'
check "rmmod ks3 with listeners and a client connection open" \
	timeout 60 rmmod ks3
check "the client's connection was closed" \
	bash -c 'timeout 5 cat <&3 >/dev/null'
exec 3<&-
check "nothing listens on 127.0.0.1:9000 after rmmod" \
	bash -c "! tcp_connect 127.0.0.1 9000"

# ----------------------------------------------- across a module reload --
check "insmod ks3.ko again" insmod "$ko"
check "listeners are not kept across a reload" \
	json "$s3ctl listen list -j" 'assert j == [], j'
check "dev attach after the reload" $s3ctl dev attach $dev
check "the settings are kept across a reload" json "$s3ctl config get -j" '
v = {s["name"]: (s["value"], s["set"]) for s in j}
assert v["region"] == ("eu-west-3", True), v
assert v["max_connections"] == ("1024", True), v
assert v["vhost_domain"] == ("", False), v'
check "rmmod ks3" rmmod ks3

dmesg >"$tmp/dmesg"
check "no WARN/BUG/lockdep report in the kernel log" no_splats "$tmp/dmesg"
# The debug kernel: nothing leaked by listeners, connections or settings.
if [ -w $dbg/kmemleak ]; then
	sleep 6		# objects younger than 5 s are never reported
	echo scan >$dbg/kmemleak
	echo scan >$dbg/kmemleak
	cat $dbg/kmemleak >"$tmp/kmemleak"
	check "kmemleak finds no leak" test "$(wc -c <"$tmp/kmemleak")" -eq 0
	head -n 30 "$tmp/kmemleak" | sed 's/^/# /'
fi
rm -rf "$tmp"
summary
