#!/bin/bash
# Installs what building and testing ks3 needs on Debian 12, idempotently.
# Used by `make run`, `make check` and .ci/run. As root it runs apt-get;
# otherwise it prints the one apt-get line to run and fails.
#
#   tools/deps.sh           install whatever is missing (quiet when nothing is)
#   tools/deps.sh --list    print the package list
set -euo pipefail

packages=(
	# build: module, s3ctl, tools
	build-essential pkg-config git
	linux-headers-amd64 sparse dkms
	libmnl-dev libjansson-dev liburing-dev libblkid-dev
	clang llvm libclang-rt-14-dev
	# integration tests: filesystems and loop devices in the guest
	e2fsprogs util-linux mount
	# debug test kernel (tools/kernel) and checkpatch
	linux-source-6.1 flex bison bc libelf-dev libssl-dev cpio rsync
	dwarves xz-utils kmod python3
	# VM bench (tools/vm): stock kernel, QEMU, busybox initramfs
	linux-image-amd64 qemu-system-x86 busybox-static curl
)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ks3: missing packages; run as root:" >&2
	echo "  apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "ks3: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
