# SPDX-License-Identifier: GPL-2.0
# Both modules load and unload four times; netvm reports its resolved hook
# targets; netvm_swap registers its block major and control device.
# timeout: 180
. /usr/lib/netvm-test/lib.sh

for i in 1 2 3 4; do
	modprobe netvm_swap || fail "modprobe netvm_swap failed (round $i)"
	grep -qw '^netvm' /proc/modules || fail "netvm was not loaded with netvm_swap"
	t=/sys/kernel/debug/netvm/targets
	[ -r $t ] || fail "$t missing"
	# Each line: NAME hook|call SYMBOL+0x0/SIZE (the address, symbolised).
	grep -q ' hook ' $t || fail "netvm reports no hook target: $(cat $t)"
	while read -r name kind sym; do
		case $sym in
		"$name+0x0/"*) ;;
		*) fail "target $name resolved to '$sym'" ;;
		esac
		dmesg | grep -q "netvm: resolved $name at $name+0x0/" ||
			fail "netvm did not log target $name"
	done <$t
	grep -q ' nfsswap$' /proc/devices || fail "no nfsswap block major in /proc/devices"
	grep -q ' nfsswap-control$' /proc/misc || fail "no nfsswap-control misc device"
	[ -c /dev/nfsswap-control ] || fail "/dev/nfsswap-control missing"
	modprobe -r netvm_swap netvm || fail "modprobe -r failed (round $i)"
	grep -q '^netvm' /proc/modules && fail "modules still loaded after modprobe -r"
	[ -e /dev/nfsswap-control ] && fail "/dev/nfsswap-control left behind"
done
log "4 load/unload rounds"
