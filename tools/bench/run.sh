#!/bin/bash
# make bench: the storage engine on a virtio disk in a guest running
# Debian's stock kernel (no debug options): puts BENCH_OBJECTS small objects
# from 32 writers (group commit: flushes per object), then attaches the
# store again (time, RAM per object). Figures, not pass/fail: a benchmark
# reports, tests judge. Under TCG, times are ~15x what hardware gives.
#
#   BENCH_OBJECTS (default 100000; 1000000 for the issue's figure)
#   BENCH_WRITERS (default 32), BENCH_SIZE (bytes per object, default 1)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
kdir=$(tools/kdir.sh)
build=$top/var/build/bench
out=$top/var/bench
mkdir -p "$build/tools" "$out"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	Kbuild module uapi "$build/"
rsync -a --delete --exclude='*.o' --exclude='.*.cmd' tools/bench \
	"$build/tools/"
make -s -C "$kdir" M="$build" KS3_BENCH=y modules KCFLAGS=-Werror

objects=${BENCH_OBJECTS:-100000}
cat >"$out/guest.sh" <<EOT
#!/bin/bash
set -u
for m in libcrc32c \$(modinfo -F depends $build/ks3_bench.ko | tr ',' ' '); do
	modprobe "\$m" 2>/dev/null
done
dmesg -C
insmod $build/ks3_bench.ko dev=/dev/vda objects=$objects \
	writers=${BENCH_WRITERS:-32} size=${BENCH_SIZE:-1}
rc=\$?
dmesg | grep 'ks3_bench:'
rmmod ks3_bench 2>/dev/null
exit \$rc
EOT
chmod +x "$out/guest.sh"
tools/vm/run --kernel stock --mem 4096 --disk "$out/disk.img:16G" \
	--timeout "${BENCH_TIMEOUT:-3600}" --log "$out/console.log" \
	-- "$out/guest.sh" | tee "$out/result.txt"
rm -f "$out/disk.img"
