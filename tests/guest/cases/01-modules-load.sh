# SPDX-License-Identifier: GPL-2.0
# Both modules load and unload four times; netvm reports its resolved hook
# targets; netvm_swap registers its block major and control device.
# timeout: 120
. /usr/lib/netvm-test/lib.sh

for i in 1 2 3 4; do
	modprobe netvm_swap || fail "modprobe netvm_swap failed (round $i)"
	grep -qw '^netvm' /proc/modules || fail "netvm was not loaded with netvm_swap"
	t=/sys/kernel/debug/netvm/targets
	[ -r $t ] || fail "$t missing"
	for f in __sk_mem_raise_allocated sk_forced_mem_schedule; do
		grep -q "^$f .* $f+0x0/" $t || fail "$f not resolved: $(cat $t)"
	done
	dmesg | grep -q "netvm: resolved __sk_mem_raise_allocated" ||
		fail "netvm did not log its targets"
	grep -q ' nfsswap$' /proc/devices || fail "no nfsswap block major in /proc/devices"
	grep -q ' nfsswap-control$' /proc/misc || fail "no nfsswap-control misc device"
	[ -c /dev/nfsswap-control ] || fail "/dev/nfsswap-control missing"
	modprobe -r netvm_swap netvm || fail "modprobe -r failed (round $i)"
	grep -q '^netvm' /proc/modules && fail "modules still loaded after modprobe -r"
	[ -e /dev/nfsswap-control ] && fail "/dev/nfsswap-control left behind"
done
log "4 load/unload rounds"
