#!/bin/sh
# Prints the kernel build tree ks3.ko is built against by default: the
# running kernel's if it has one, else the newest installed one (Debian's
# linux-headers-amd64). Prints nothing when there is none.
running=/lib/modules/$(uname -r)/build
if [ -d "$running" ]; then
	echo "$running"
	exit 0
fi
ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1
