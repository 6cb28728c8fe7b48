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
	# S3 clients of the integration suites (tests/integration/s3); npm
	# comes with nodejs or, when it does not, from Debian's npm package
	python3-pytest python3-boto3 awscli s3cmd rclone nodejs
	# make bench-s3: nginx 1.22 (sendfile, WebDAV) against ks3; s3bench
	# builds on liburing-dev and libssl-dev (above)
	nginx
)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit 0
fi

# The node S3 suite's packages and make bench-s3's s3rver, exactly as
# their package-lock.json files pin them; npm ci runs again only when a
# lock file changed.
node_deps() {
	local top
	top=$(cd "$(dirname "$0")/.." && pwd)
	node_ci "$top/tests/integration/s3/node" &&
		node_ci "$top/tools/bench/s3rver"
}

node_ci() {
	local dir=$1 stamp
	stamp=$dir/node_modules/.ks3-package-lock.json
	[ -f "$dir/package-lock.json" ] || return 0
	cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null && return 0
	if ! command -v npm >/dev/null; then
		echo "ks3: npm is missing (apt-get install -y npm)" >&2
		return 1
	fi
	echo "ks3: npm ci in $dir" >&2
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) &&
		cp "$dir/package-lock.json" "$stamp"
}

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q '^install ok installed$'; then
		missing+=("$p")
	fi
done
if ! command -v npm >/dev/null && [ "$(id -u)" -eq 0 ]; then
	missing+=(npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
	node_deps
	exit
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "ks3: missing packages; run as root:" >&2
	echo "  apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "ks3: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
node_deps
