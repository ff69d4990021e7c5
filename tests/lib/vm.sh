# SPDX-License-Identifier: GPL-2.0
# QEMU guests for the tests (sourced).  TCG only: KVM does not work on these
# machines.  Guests talk over a QEMU socket netdev bound to 127.0.0.1; nothing
# leaves the machine.  The netdev carries frames in UDP datagrams: over a TCP
# stream (listen=/connect=) QEMU leaves Nagle on, and every NFS reply that
# ends in a small segment waited for the host's delayed ACK (about 45 ms per
# RPC whatever its size, against 2 ms for a ping).

# Kernel log lines that fail a test, in any guest.
# (An initramfs too big for the guest's memory unpacks in part: the case
# then fails on a missing or truncated file; the log line says why.)
VM_BAD_LOG='WARNING:|BUG:|Oops|general protection fault|Kernel panic|INFO: task .* blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall|detected stall|possible circular locking|possible recursive locking|inconsistent lock state|lockdep|UBSAN:|KASAN:|Call Trace:|Initramfs unpacking failed'

# The guest CPU: TCG's "max" (NETVM_QEMU_CPU overrides).  The benchmark
# runs "max,erms=off,fsrm=off" (tests/bench/run): QEMU 7.2's TCG runs
# "rep movsb"/"rep stosb" one byte per iteration, and a guest kernel told
# the CPU has fast strings clears every page it allocates (init_on_alloc)
# and copies with them, a fifth of a swap benchmark's CPU.  The tests stay
# on "max": in the one full run on the other model, a 6.12 guest died of a
# double fault with impossible EFLAGS (an emulator fault; not reproduced).
vm_qemu() {
	exec qemu-system-x86_64 -accel tcg -cpu "${NETVM_QEMU_CPU:-max}" -nodefaults -display none \
		-no-reboot -device virtio-rng-pci "$@" 8>&-
}

# A free TCP port on the loopback for the guests' link.
vm_free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		ss -Hlntu "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

# vm_check_log FILE: print offending kernel log lines; fail if any.
vm_check_log() {
	! grep -E "$VM_BAD_LOG" "$1"
}

# vm_server_start DIR: boot the server guest; wait until it serves.
vm_server_start() {
	local dir=$1 i
	mkdir -p "$dir"
	VM_PORT=$(vm_free_port)
	VM_CLIENT_PORT=$(vm_free_port)
	[ "$VM_CLIENT_PORT" != "$VM_PORT" ] || VM_CLIENT_PORT=$((VM_PORT + 1))
	rm -f "$dir/disk.img" "$dir/result"
	truncate -s 8G "$dir/disk.img"
	mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 "$dir/disk.img"
	vm_qemu -m 256 -smp 1 \
		-kernel "$(kernel_dir "$SERVER_KERNEL")/vmlinuz" \
		-initrd "$NETVM_OUT/initramfs-$SERVER_KERNEL.cpio.gz" \
		-append "console=ttyS0 panic=-1 mitigations=off nvtest.role=server nvtest.kernel=$SERVER_KERNEL" \
		-drive "file=$dir/disk.img,format=raw,if=virtio,cache=unsafe" \
		-netdev "socket,id=n0,localaddr=127.0.0.1:$VM_PORT,udp=127.0.0.1:$VM_CLIENT_PORT" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:77:00:01 \
		-serial "file:$dir/console.log" -serial "file:$dir/result" &
	VM_SERVER_PID=$!
	for i in $(seq 1 240); do
		grep -q READY "$dir/result" 2>/dev/null && return 0
		if grep -q FAIL "$dir/result" 2>/dev/null || ! kill -0 "$VM_SERVER_PID" 2>/dev/null; then
			break
		fi
		sleep 1
	done
	log "server guest did not come up; its console:"
	tail -40 "$dir/console.log" >&2
	vm_server_stop
	return 1
}

# vm_cleanup: EXIT trap of the scripts that start guests.  Must not fail:
# under set -e a failing command in an EXIT trap becomes the exit status.
vm_cleanup() {
	local pids
	pids=$(jobs -p)
	[ -z "$pids" ] || kill $pids 2>/dev/null || true
	vm_server_stop
}

vm_server_stop() {
	[ -n "${VM_SERVER_PID:-}" ] || return 0
	kill "$VM_SERVER_PID" 2>/dev/null || true
	wait "$VM_SERVER_PID" 2>/dev/null || true
	VM_SERVER_PID=
}

# vm_sysrq DIR KEYS: press alt-sysrq-KEY on the keyboard of the client guest
# whose files are in DIR, for each KEY (w: blocked tasks, t: all tasks,
# m: memory, l: CPUs), through its QEMU monitor; then give the guest time to
# print.  For a guest that stopped making progress, before it is killed.
vm_sysrq() {
	local dir=$1 k
	shift
	[ -S "$dir/monitor.sock" ] || return 0
	for k in "$@"; do
		python3 - "$dir/monitor.sock" "$k" <<'PY' || true
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
time.sleep(0.2)
s.sendall(b"sendkey alt-sysrq-%s\n" % sys.argv[2].encode())
time.sleep(0.5)
s.close()
PY
		sleep 5
	done
}

# vm_client_run SHORT CASEFILE DIR: boot a client guest that runs one case.
# Prints the case's result line; returns 0 only for a clean pass.
# Optional overrides (tests/bench): VM_CLIENT_MEM, VM_CLIENT_TIMEOUT (instead
# of the case's header), VM_CLIENT_NETDEV (instead of the link to the server
# guest), VM_CLIENT_APPEND (more kernel command line).
vm_client_run() {
	local short=$1 case=$2 dir=$3 name timeout mem pid rc=0 waited=0
	name=$(basename "$case" .sh)
	timeout=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$case" | head -1)
	mem=$(sed -n 's/^# memory: *\([0-9]*\).*/\1/p' "$case" | head -1)
	timeout=${VM_CLIENT_TIMEOUT:-${timeout:-300}}
	mem=${VM_CLIENT_MEM:-$mem}
	mkdir -p "$dir"
	rm -f "$dir/result" "$dir/console.log" "$dir/monitor.sock"
	vm_qemu -m "${mem:-256}" -smp 1 \
		-kernel "$(kernel_dir "$short")/vmlinuz" \
		-initrd "$NETVM_OUT/initramfs-$short.cpio.gz" \
		-append "console=ttyS0 panic=-1 mitigations=off nvtest.role=client nvtest.kernel=$short nvtest.case=$name nvtest.timeout=$timeout ${VM_CLIENT_APPEND:-}" \
		-netdev "${VM_CLIENT_NETDEV:-socket,id=n0,localaddr=127.0.0.1:$VM_CLIENT_PORT,udp=127.0.0.1:$VM_PORT}" \
		-device virtio-net-pci,netdev=n0,mac=52:54:00:77:00:02 \
		-serial "file:$dir/console.log" -serial "file:$dir/result" \
		-monitor "unix:$dir/monitor.sock,server=on,wait=off" &
	pid=$!
	# The guest's own timeout ends the case; this one catches a guest that
	# hangs or never boots.
	while kill -0 "$pid" 2>/dev/null; do
		if [ $waited -ge $((timeout + 180)) ]; then
			vm_sysrq "$dir" w m
			kill "$pid" 2>/dev/null
			echo "FAIL $name (guest hung: no result after $waited s)" >>"$dir/result"
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$pid" 2>/dev/null || true
	if ! grep -q '^END' "$dir/result" 2>/dev/null; then
		grep -q "^FAIL" "$dir/result" 2>/dev/null ||
			echo "FAIL $name (guest died before the end; see $dir/console.log)" >>"$dir/result"
		rc=1
	fi
	if ! grep -q "^PASS $name" "$dir/result"; then
		rc=1
	fi
	if ! vm_check_log "$dir/console.log" >"$dir/bad-log-lines"; then
		echo "FAIL $name (kernel log: $(head -1 "$dir/bad-log-lines"))" >>"$dir/result"
		rc=1
	fi
	grep -E '^(PASS|FAIL)' "$dir/result" | tail -1
	return $rc
}
