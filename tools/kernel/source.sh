#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ensure Debian's linux-source-6.1 is extracted under the ks3 cache and print
# the source directory.  Used by tools/kernel/build.sh, the lint target
# (scripts/checkpatch.pl) and the KUnit runner (tools/testing/kunit/kunit.py).
#
#   tools/kernel/source.sh            extract if needed, print the path
#
# Env: KS3_CACHE (default ~/.cache/ks3), KS3_LINUX_TARBALL (default
# /usr/src/linux-source-6.1.tar.xz).
#
# Extraction goes to a temporary directory that is renamed into place after a
# marker file (.ks3-extracted) has been written, so a half-extracted tree is
# never used.  A tree that lacks the marker (interrupted, or made by hand) is
# moved aside and replaced, as is one extracted from an older package version.
set -euo pipefail
{ # the whole body is parsed before it runs: editing this file cannot break a running instance

cache=${KS3_CACHE:-$HOME/.cache/ks3}
tarball=${KS3_LINUX_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
name=$(basename "$tarball" .tar.xz)
srcroot=$cache/src
src=$srcroot/$name
marker=$src/.ks3-extracted
# The Debian package version is recorded in the marker: an upgraded
# linux-source package gets a fresh tree.
pkgver=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null || echo unknown)

fresh() { [ -f "$marker" ] && grep -qxF "version=$pkgver" "$marker"; }

if fresh; then
	echo "$src"
	exit 0
fi

if [ ! -f "$tarball" ]; then
	echo "source.sh: $tarball not found (apt-get install ${name})" >&2
	exit 1
fi

mkdir -p "$srcroot"
exec 9>"$srcroot/.$name.lock"
flock 9
if ! fresh; then
	tmp=$(mktemp -d "$srcroot/.$name.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "source.sh: extracting $tarball into $src" >&2
	tar -C "$tmp" -xf "$tarball"
	if [ ! -f "$tmp/$name/Makefile" ]; then
		echo "source.sh: $tarball did not contain $name/Makefile" >&2
		exit 1
	fi
	{
		echo "tarball=$tarball"
		echo "version=$pkgver"
		echo "date=$(date -u +%FT%TZ)"
	} >"$tmp/$name/.ks3-extracted"
	if [ -e "$src" ]; then
		stale=$srcroot/.$name.stale.$$
		echo "source.sh: $src is incomplete or stale; replacing it" >&2
		mv "$src" "$stale"
		mv "$tmp/$name" "$src"
		rm -rf "$stale"
	else
		mv "$tmp/$name" "$src"
	fi
	rm -rf "$tmp"
	trap - EXIT
fi
echo "$src"
exit
}
