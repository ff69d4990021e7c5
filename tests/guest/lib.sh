# SPDX-License-Identifier: GPL-2.0
# Helpers for guest test cases: . /usr/lib/netvm-test/lib.sh

log() { echo "test: $*"; }
# fail REASON: end the case; the guest's init puts REASON on the result line
# (what `make check` prints), the console log has the rest.
fail() {
	echo "test: FAIL: $*"
	[ -e /tmp/fail-reason ] || echo "$*" >/tmp/fail-reason
	exit 1
}

# nfs_mount VERS DIR: mount the server's export (4.2 or 3) on DIR.
# The server may still be starting: retry for a while.
nfs_mount() {
	vers=$1
	dir=$2
	mkdir -p "$dir"
	case $vers in
	4*) set -- -t nfs4 -o "vers=$vers,addr=$SERVER,clientaddr=$CLIENT,hard,proto=tcp" "$SERVER:/" ;;
	3) set -- -t nfs -o "vers=3,addr=$SERVER,port=2049,mountaddr=$SERVER,mountport=20048,nolock,hard,proto=tcp,mountproto=tcp" "$SERVER:/srv/nfs" ;;
	*) fail "nfs_mount: unknown NFS version $vers" ;;
	esac
	for i in $(seq 1 30); do
		if mountnfs "$@" "$dir"; then
			return 0
		fi
		sleep 2
	done
	fail "cannot mount $SERVER over NFS $vers"
}

# is_mounted DIR: whether something is mounted on DIR (busybox here has no
# mountpoint).
is_mounted() {
	awk -v d="$1" '$2 == d { found = 1 } END { exit !found }' /proc/mounts
}

# unload_swap: unload netvm_swap alone (modprobe -r would also try its
# dependency sunrpc, which the NFS mounts hold, and fail).
unload_swap() {
	if [ -e /sys/module/netvm_swap ]; then
		rmmod netvm_swap || return 1
	fi
	[ ! -e /sys/module/netvm_swap ]
}

# counter DEV NAME: a numeric value from `nfsswapctl status DEV`; fails the
# case if there is none.
counter() {
	v=$(nfsswapctl status "$1" | awk -v k="$2" '$1 == k { print $2 }')
	case $v in
	'' | *[!0-9]*) fail "status $1: no numeric $2 (got '$v')" ;;
	esac
	echo "$v"
}
