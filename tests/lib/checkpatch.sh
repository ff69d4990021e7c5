#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel coding style of our kernel code, judged by scripts/checkpatch.pl
# from Debian's linux-source package (cached in $NETVM_CACHE).
set -euo pipefail
. "$(dirname "$0")/common.sh"

dir=$NETVM_CACHE/checkpatch
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	pkg=$(apt-cache search --names-only '^linux-source-[0-9.]*$' | awk '{ print $1 }' | sort -V | tail -1)
	[ -n "$pkg" ] || { apt-get update -qq; pkg=$(apt-cache search --names-only '^linux-source-[0-9.]*$' | awk '{ print $1 }' | sort -V | tail -1); }
	[ -n "$pkg" ] || die "no linux-source package in apt"
	log "getting checkpatch.pl from $pkg"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "$pkg" && dpkg-deb -x ./*.deb x)
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xaf "$tmp"/x/usr/src/linux-source-*.tar.* -C "$dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	rm -rf "$tmp"
fi
cd "$TOP"
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' ':!tests' ':!tools')
# --no-tree: out of tree; the rest of the defaults apply.
"$dir/scripts/checkpatch.pl" --no-tree --quiet --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE -f $files
