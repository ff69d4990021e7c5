# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Servers on the host's loopback for one client guest (sourced): nfs-ganesha
# (FSAL VFS, NFSv4 only), nbd-server and linkperf (raw link throughput),
# each on a free port of 127.0.0.1.  The guest reaches them through QEMU's
# user network with guestfwd (hostsrv_netdev): it dials 10.0.2.100 on the
# usual ports (NFS 2049, NBD 10809, linkperf 5001) and QEMU connects to the
# host's loopback.  Nothing listens on or sends to any other address.
#
#   hostsrv_start DIR SWAP_MIB   start all three; DIR holds the export, the
#                                files and the logs; the export gets a fully
#                                allocated swap file "bench-swapfile" and
#                                nbd-server an image, both SWAP_MIB MiB
#   hostsrv_netdev               the -netdev argument for a client guest
#   hostsrv_stop                 stop them (call it from an EXIT trap)
# Needs vm.sh (vm_free_port) and tests/lib/host-setup.sh's packages.

HOSTSRV_GUEST_ADDR=10.0.2.100	# what the guest dials (it is 10.0.2.15 itself)
HOSTSRV_PIDS=

# hostsrv_wait_port PORT PID: wait until something listens on 127.0.0.1:PORT.
hostsrv_wait_port() {
	local _
	for _ in $(seq 1 100); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

hostsrv_start() {
	local dir=$1 mib=$2 pid
	dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
	rm -rf "$dir/export" "$dir/recovery" "$dir/nbd.img"
	mkdir -p "$dir/export" "$dir/recovery"
	# Fully allocated: netvm-swap refuses files with holes.
	dd if=/dev/zero of="$dir/export/bench-swapfile" bs=1M count="$mib" status=none
	truncate -s "${mib}M" "$dir/nbd.img"

	HOSTSRV_NFS_PORT=$(vm_free_port)
	cat >"$dir/ganesha.conf" <<-EOF
		NFS_CORE_PARAM {
			Bind_addr = 127.0.0.1;
			NFS_Port = $HOSTSRV_NFS_PORT;
			Protocols = 4;
			Enable_NLM = false;
			Enable_RQUOTA = false;
			Enable_UDP = false;
		}
		NFS_KRB5 { Active_krb5 = false; }
		NFSV4 {
			Graceless = true;
			RecoveryBackend = fs;
			RecoveryRoot = "$dir/recovery";
		}
		EXPORT {
			Export_Id = 1;
			Path = "$dir/export";
			Pseudo = "/";
			Access_Type = RW;
			Squash = No_Root_Squash;
			Protocols = 4;
			Transports = TCP;
			SecType = sys;
			FSAL { Name = VFS; }
		}
	EOF
	ganesha.nfsd -F -f "$dir/ganesha.conf" -L "$dir/ganesha.log" -p "$dir/ganesha.pid" \
		-N NIV_EVENT </dev/null >>"$dir/ganesha.log" 2>&1 &
	pid=$!
	HOSTSRV_PIDS="$HOSTSRV_PIDS $pid"
	hostsrv_wait_port "$HOSTSRV_NFS_PORT" "$pid" || {
		tail -20 "$dir/ganesha.log" >&2
		log "nfs-ganesha did not start"
		return 1
	}

	# nbd-server forks a child per connection: it runs as a daemon, in a
	# process group of its own that hostsrv_stop ends.
	HOSTSRV_NBD_PORT=$(vm_free_port)
	printf '[generic]\nlistenaddr = 127.0.0.1\nport = %s\n[swap]\nexportname = %s\n' \
		"$HOSTSRV_NBD_PORT" "$dir/nbd.img" >"$dir/nbd-server.conf"
	rm -f "$dir/nbd-server.pid"
	nbd-server -C "$dir/nbd-server.conf" -p "$dir/nbd-server.pid" >"$dir/nbd-server.log" 2>&1 || {
		cat "$dir/nbd-server.log" >&2
		log "nbd-server did not start"
		return 1
	}
	for pid in $(seq 1 50); do
		[ -s "$dir/nbd-server.pid" ] && break
		sleep 0.1
	done
	HOSTSRV_NBD_PID=$(cat "$dir/nbd-server.pid" 2>/dev/null) || true
	hostsrv_wait_port "$HOSTSRV_NBD_PORT" "${HOSTSRV_NBD_PID:-0}" || {
		log "nbd-server did not start"
		return 1
	}

	HOSTSRV_LINK_PORT=$(vm_free_port)
	gcc -O2 -Wall -Wextra -Werror -o "$dir/linkperf" "$TOP/tests/guest/src/linkperf.c"
	"$dir/linkperf" -l "$HOSTSRV_LINK_PORT" -b 127.0.0.1 </dev/null >"$dir/linkperf.log" 2>&1 &
	pid=$!
	HOSTSRV_PIDS="$HOSTSRV_PIDS $pid"
	hostsrv_wait_port "$HOSTSRV_LINK_PORT" "$pid" || {
		log "linkperf did not start"
		return 1
	}
	log "host servers: nfs-ganesha :$HOSTSRV_NFS_PORT, nbd-server :$HOSTSRV_NBD_PORT," \
		"linkperf :$HOSTSRV_LINK_PORT (127.0.0.1)"
}

# Each guestfwd is a chardev connection from QEMU to the host's port,
# opened when QEMU starts.  nodelay=on (",," escapes the comma): QEMU leaves
# Nagle on by default, and every request that ends in a small segment would
# wait for the server's delayed ACK, as with the TCP socket netdev.
hostsrv_netdev() {
	local g=$HOSTSRV_GUEST_ADDR n=",,nodelay=on"
	echo "user,id=n0,restrict=on,net=10.0.2.0/24,host=10.0.2.2,guestfwd=tcp:$g:2049-tcp:127.0.0.1:$HOSTSRV_NFS_PORT$n,guestfwd=tcp:$g:10809-tcp:127.0.0.1:$HOSTSRV_NBD_PORT$n,guestfwd=tcp:$g:5001-tcp:127.0.0.1:$HOSTSRV_LINK_PORT$n"
}

# Must not fail (called from EXIT traps under set -e).
hostsrv_stop() {
	local pid
	if [ -n "${HOSTSRV_NBD_PID:-}" ]; then
		# The daemon and its per-connection children share its process group.
		kill -- "-$HOSTSRV_NBD_PID" 2>/dev/null || kill "$HOSTSRV_NBD_PID" 2>/dev/null || true
		HOSTSRV_NBD_PID=
	fi
	for pid in $HOSTSRV_PIDS; do
		# linkperf's per-connection children, then linkperf.
		pkill -P "$pid" 2>/dev/null || true
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	HOSTSRV_PIDS=
	return 0
}
