#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build ks3's User-Mode Linux perf kernel (ARCH=um, x86_64, 6.1, -O2, no
# debugging; tools/kernel/uml.config) from Debian's linux-source-6.1 and print
# its build directory (the O= dir, usable as
# `make ARCH=um -C <dir> M=<module dir> modules`; the kernel is <dir>/linux).
# Used by tools/bench/uml.sh (per-request CPU cost at native speed).
#
#   tools/kernel/uml.sh [--print-path] [--force]
#
# --print-path  print only the O= dir on stdout (the default behaviour too;
#               the flag exists so callers can say what they mean)
# --force       rebuild even if a cached build exists
# --no-build    print the path only if it is already built; else exit 1
#
# Cache: ${KS3_UML_CACHE:-~/.cache/ks3-uml}/kernel/<hash>/{build/,build.log,info}
# where <hash> covers the source package version, the compiler, uml.config
# and the config-relevant part of this script.  The source tree is a
# private copy under the same cache (source.sh with KS3_CACHE pointed there):
# the shared one under ~/.cache/ks3 is not touched.  A cached build is reused
# without running make.  The build runs in <hash>.tmp.* and is renamed into
# place on success; concurrent callers serialise on <hash>.lock.
set -euo pipefail
{ # the whole body is parsed before it runs: editing this file cannot break a running instance

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${KS3_UML_CACHE:-$HOME/.cache/ks3-uml}
force=0
nobuild=0

usage() {
	echo "usage: $0 [--print-path] [--force] [--no-build]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--print-path) ;;
	--force) force=1 ;;
	--no-build) nobuild=1 ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
	shift
done

log() { echo "kernel/uml.sh: $*" >&2; }

src=$(KS3_CACHE=$cache "$here/source.sh")
fragment=$here/uml.config
patches=("$here"/uml-patches/*.patch)

# The private source copy gets uml-patches/ applied once (a marker per
# patch; a fresh extraction by source.sh has none, so they are reapplied).
(
	exec 9>"$src/../.uml-patch.lock"
	flock 9
	for p in "${patches[@]}"; do
		[ -f "$p" ] || continue
		m=$src/.ks3-uml-patch-$(sha256sum <"$p" | cut -c1-16)
		[ -f "$m" ] && continue
		patch -d "$src" -p1 -N -s <"$p" || { log "cannot apply $p"; exit 1; }
		touch "$m"
	done
)

# ---- BEGIN CONFIG-RELEVANT (hashed: edit here => new cache key) ----
KARCH=um
BASE_TARGET=defconfig
MAKE_TARGETS="linux modules modules_prepare"
KMAKE_VARS="ARCH=$KARCH SUBARCH=x86_64"
JOBS=2
# ---- END CONFIG-RELEVANT ----

srcname=$(basename "$src")
srcver=$(make -s -C "$src" kernelversion 2>/dev/null || echo unknown)
pkgver=$(dpkg-query -W -f='${Version}' "$srcname" 2>/dev/null || echo unknown)
ccver=$(${CC:-gcc} --version | head -n1)

hash=$(
	{
		echo "src=$srcname $srcver pkg=$pkgver"
		echo "cc=$ccver"
		echo "--- uml.config"
		cat "$fragment"
		echo "--- uml-patches"
		cat "${patches[@]}" 2>/dev/null || true
		echo "--- build.sh"
		sed -n '/^# ---- BEGIN CONFIG-RELEVANT/,/^# ---- END CONFIG-RELEVANT/p' "${BASH_SOURCE[0]}"
	} | sha256sum | cut -c1-16
)

kdir=$cache/kernel
final=$kdir/$hash
out=$final/build

if [ "$force" = 0 ] && [ -f "$final/.done" ]; then
	echo "$out"
	exit 0
fi
[ "$nobuild" = 0 ] || exit 1

mkdir -p "$kdir"
exec 8>"$kdir/$hash.lock"
if ! flock -n 8; then
	log "another build of $hash is running; waiting"
	flock 8
fi
if [ "$force" = 0 ] && [ -f "$final/.done" ]; then
	echo "$out"
	exit 0
fi

tmp=$(mktemp -d "$kdir/$hash.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tout=$tmp/build
buildlog=$tmp/build.log
mkdir -p "$tout"

kmake() {
	# shellcheck disable=SC2086
	make -C "$src" O="$tout" $KMAKE_VARS "$@"
}

fail() {
	log "FAILED: $*"
	log "last lines of $buildlog:"
	tail -n 40 "$buildlog" >&2 || true
	# keep the log where it can be read after the temp dir is gone
	cp "$buildlog" "$kdir/$hash.failed.log" 2>/dev/null &&
		log "full log: $kdir/$hash.failed.log"
	exit 1
}

start=$(date +%s)
log "building $srcname $srcver ($pkgver) with $(basename "$fragment") -> $final"
log "log: $buildlog"

# Seed from the newest finished build of another hash (an older config or
# patch set): make's dependency tracking then rebuilds only what changed.
seed=$(ls -td "$kdir"/????????????????/.done 2>/dev/null | head -n1 || true)
if [ -n "$seed" ] && [ "$force" = 0 ]; then
	log "seeding from $(dirname "$seed")"
	cp -a "$(dirname "$seed")/build/." "$tout/"
fi

kmake "$BASE_TARGET" >>"$buildlog" 2>&1 || fail "make $BASE_TARGET"
(cd "$tout" && "$src/scripts/kconfig/merge_config.sh" -m -O "$tout" \
	"$tout/.config" "$fragment") >>"$buildlog" 2>&1 || fail "merge_config.sh"
kmake olddefconfig >>"$buildlog" 2>&1 || fail "make olddefconfig"

# Every symbol the fragment sets must have survived olddefconfig.
dropped=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$tout/.config" || dropped+=("$line")
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$tout/.config"; then
			dropped+=("$line (got $(grep "^$sym=" "$tout/.config"))")
		fi
		;;
	esac
done <"$fragment"
if [ ${#dropped[@]} -gt 0 ]; then
	log "olddefconfig dropped or changed these uml.config settings:"
	for d in "${dropped[@]}"; do
		have=${d%%=*}
		echo "  $d   (.config: $(grep -E "^(# )?${have#\# }[= ]" "$tout/.config" || echo absent))" >&2
	done
	log "fix tools/kernel/uml.config (missing dependencies?)"
	cp "$tout/.config" "$kdir/$hash.failed.config" && log "config: $kdir/$hash.failed.config"
	exit 1
fi

# shellcheck disable=SC2086
nice -n 10 make -C "$src" O="$tout" $KMAKE_VARS -j"$JOBS" $MAKE_TARGETS >>"$buildlog" 2>&1 || fail "make $MAKE_TARGETS"
[ -x "$tout/linux" ] || fail "no linux binary"
[ -f "$tout/Module.symvers" ] || fail "no Module.symvers"

end=$(date +%s)
kver=$(cat "$tout/include/config/kernel.release")
{
	echo "hash=$hash"
	echo "kernelrelease=$kver"
	echo "source=$srcname $srcver pkg=$pkgver"
	echo "cc=$ccver"
	echo "build_seconds=$((end - start))"
} >"$tmp/info"
touch "$tmp/.done"

rm -rf "$final"
mv "$tmp" "$final"
trap - EXIT
log "built $kver in $((end - start)) s"
# Drop builds of other inputs (older uml.config versions) made over a week ago.
find "$kdir" -mindepth 1 -maxdepth 1 -type d -name '????????????????' ! -name "$hash" \
	-mtime +7 -exec rm -rf {} + 2>/dev/null || true
echo "$out"
exit
}
