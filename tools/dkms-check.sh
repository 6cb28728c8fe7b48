#!/bin/bash
# Checks that dkms accepts dkms.conf and builds ks3.ko against the newest
# installed kernel headers, in a private dkms tree (nothing is installed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
if [ "$version" != "$(cat module/VERSION)" ]; then
	echo "dkms.conf PACKAGE_VERSION $version != module/VERSION $(cat module/VERSION)" >&2
	exit 1
fi
kdir=$(tools/kdir.sh)
kver=$(basename "$(dirname "$kdir")")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/ks3-$version" "$tmp/dkms"
git ls-files -z -- Kbuild dkms.conf module uapi |
	xargs -0 cp --parents -t "$tmp/src/ks3-$version"
dkms=(dkms --dkmstree "$tmp/dkms" --sourcetree "$tmp/src")
"${dkms[@]}" add -m ks3 -v "$version"
"${dkms[@]}" build -m ks3 -v "$version" -k "$kver"
ko=$(find "$tmp/dkms/ks3/$version/$kver" -name 'ks3.ko*' | head -n 1)
[ -n "$ko" ] || { echo "dkms built no ks3.ko" >&2; exit 1; }
modinfo "$ko" | grep -E '^(version|vermagic):'
