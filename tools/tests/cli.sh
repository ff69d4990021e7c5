#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host-side tests of nfsswapctl: runs the unit tests, then drives the binary
# against fake /sys, /dev and /proc trees.  Prints "N passed, M failed" last.
#
# usage: cli.sh UNIT_BINARY NFSSWAPCTL_BINARY
set -u
unit=${1:?usage: cli.sh UNIT NFSSWAPCTL}
tool=${2:?usage: cli.sh UNIT NFSSWAPCTL}
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
passed=0
failed=0
skipped=0

t=$(mktemp -d /tmp/nfsswapctl-cli.XXXXXX)
trap 'rm -rf "$t"' EXIT

# Unit tests first; their counts are added to ours.
"$unit" "$top" >"$t/unit.log" 2>&1
urc=$?
cat "$t/unit.log"
line=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$t/unit.log" | tail -1)
if [ -z "$line" ]; then
	echo "FAIL unit tests printed no summary (exit $urc)"
	failed=$((failed + 1))
else
	set -- $line
	passed=$((passed + $1))
	failed=$((failed + $2))
	if [ "$urc" != 0 ] && [ "$2" = 0 ]; then
		echo "FAIL unit tests exited $urc"
		failed=$((failed + 1))
	fi
fi

export NFSSWAP_SYSFS_ROOT=$t/sys NFSSWAP_DEV_ROOT=$t/dev NFSSWAP_PROC_ROOT=$t/proc
export NFSSWAP_NODE_WAIT_MS=0
mkdir -p "$t/sys" "$t/dev" "$t/proc"

ok() {
	passed=$((passed + 1))
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
	echo "  exit: $rc"
	echo "  stdout:"; sed 's/^/    /' "$t/out"
	echo "  stderr:"; sed 's/^/    /' "$t/err"
}

# run ARGS...: exit status in rc, output in $t/out and $t/err
run() {
	"$tool" "$@" >"$t/out" 2>"$t/err"
	rc=$?
}

# expect NAME RC STDOUT_FILE|- STDERR_SUBSTRING|-
expect() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	if [ "$rc" != "$want_rc" ]; then
		bad "$name: want exit $want_rc"
		return
	fi
	if [ "$want_out" != - ] && ! cmp -s "$want_out" "$t/out"; then
		bad "$name: stdout differs from:"
		sed 's/^/    /' "$want_out"
		return
	fi
	if [ "$want_err" = - ] && [ -s "$t/err" ]; then
		bad "$name: unexpected stderr"
		return
	fi
	if [ "$want_err" != - ] && ! grep -qF -- "$want_err" "$t/err"; then
		bad "$name: stderr lacks '$want_err'"
		return
	fi
	ok
}

empty=$t/empty
: >"$empty"

# --- usage ---------------------------------------------------------------
run --help
expect "--help" 0 - -
grep -q "attach FILE" "$t/out" && grep -q "modprobe netvm_swap" "$t/out" && ok || bad "--help text"
grep -q -- "--encrypt" "$t/out" && grep -q "/dev/mapper/nfsswapN_crypt" "$t/out" && ok ||
	bad "--help text: --encrypt"
run on --encrypt --frob "$t/f"
expect "on --encrypt --frob" 2 "$empty" "on: unknown option '--frob'"
run off --encrypt 1
expect "off --encrypt" 2 "$empty" "off: unknown option '--encrypt'"
run --version
expect "--version" 0 - -
grep -Eq '^nfsswapctl [0-9]+\.[0-9]+' "$t/out" && ok || bad "--version text"
run
expect "no command" 2 "$empty" "Try 'nfsswapctl --help'."
run frobnicate
expect "unknown command" 2 "$empty" "unknown command 'frobnicate'"
run on "$t/f" --priority 32768
expect "priority out of range" 2 "$empty" "bad priority '32768'"
run detach /dev/sda
expect "detach /dev/sda" 2 "$empty" "not a device"

# --- no module ------------------------------------------------------------
dd if=/dev/zero of="$t/swapfile" bs=1M count=2 2>/dev/null
run attach "$t/swapfile"
expect "attach, no module" 1 "$empty" "load it with \`modprobe netvm_swap\`"
run on "$t/swapfile"
expect "on, no module" 1 "$empty" "modprobe netvm_swap"
run on --encrypt "$t/swapfile" --priority 3
expect "on --encrypt, no module" 1 "$empty" "modprobe netvm_swap"
run detach 0
expect "detach, no module" 1 "$empty" "modprobe netvm_swap"
run attach "$t/nonexistent"
expect "attach, no file" 1 "$empty" "no such file; create and allocate it first"
run list
expect "list, no /sys/block" 0 "$empty" -
run status
expect "status, nothing" 0 "$empty" -
run status 0
expect "status 0, nothing" 1 "$empty" "nfsswap0: no such device"
run off 0
expect "off 0, nothing" 1 "$empty" "nfsswap0: no such device"

# --- a fake sysfs tree -----------------------------------------------------
mkdev() { # N BACKING SERVER IO_PATH
	d=$t/sys/block/nfsswap$1/nfsswap
	mkdir -p "$d"
	echo "250:$1" >"$t/sys/block/nfsswap$1/dev"
	printf '%s\n' "$2" >"$d/backing_file"
	printf '%s\n' "$3" >"$d/server"
	printf '%s\n' "$4" >"$d/io_path"
	n=1
	for a in read_reqs write_reqs read_bytes write_bytes in_flight errors lat_mean_us lat_max_us; do
		echo "$(($1 * 100 + n))" >"$d/$a"
		n=$((n + 1))
	done
}
mkdir -p "$t/sys/block/sda" "$t/sys/block/nfsswap01" "$t/sys/block/nfsswapx"
mkdev 10 /mnt/nfs/swap10 10.77.0.1 direct
mkdev 2 "/mnt/my nfs/swap 2" 10.77.0.1 swapops
mkdev 0 /srv/swap0 - swapops
rm "$t/sys/block/nfsswap0/nfsswap/server"
echo extra-value >"$t/sys/block/nfsswap2/nfsswap/zz_new_counter"
mkdir "$t/sys/block/nfsswap2/nfsswap/subdir"

cat >"$t/want" <<'X'
nfsswap0 /srv/swap0 ? swapops
nfsswap2 /mnt/my\040nfs/swap\0402 10.77.0.1 swapops
nfsswap10 /mnt/nfs/swap10 10.77.0.1 direct
X
run list
expect "list" 0 "$t/want" -

cat >"$t/proc/swaps" <<'X'
Filename				Type		Size		Used		Priority
/dev/zram0                              partition	102396		0		100
/dev/nfsswap2                           partition	524284		1024		5
X
mkdir -p "$t/proc/net"
printf 'sockets_protected 3\nrmem_exempt_bytes 12345\n' >"$t/proc/net/netvm"
cat >"$t/want" <<'X'
nfsswap2
  backing_file /mnt/my\040nfs/swap\0402
  server 10.77.0.1
  io_path swapops
  read_reqs 201
  write_reqs 202
  read_bytes 203
  write_bytes 204
  in_flight 205
  errors 206
  lat_mean_us 207
  lat_max_us 208
  zz_new_counter extra-value
  swap_active 1
  swap_size_kib 524284
  swap_used_kib 1024
  swap_priority 5
netvm
  sockets_protected 3
  rmem_exempt_bytes 12345
X
for dev in 2 nfsswap2 /dev/nfsswap2 "$t/dev/nfsswap2"; do
	run status "$dev"
	expect "status $dev" 0 "$t/want" -
done

run status
expect "status (all)" 0 - -
[ "$(grep -c '^nfsswap' "$t/out")" = 3 ] && ok || bad "status (all): 3 devices"
grep -q '^  swap_active 0$' "$t/out" && ok || bad "status (all): swap_active 0"
[ "$(sed -n '1p' "$t/out")" = nfsswap0 ] && ok || bad "status (all): order"
run status 7
expect "status 7" 1 "$empty" "nfsswap7: no such device (see \`nfsswapctl list\`)"

# Without /proc/net/netvm: no netvm section.
rm "$t/proc/net/netvm"
run status 10
expect "status 10" 0 - -
grep -q '^netvm' "$t/out" && bad "status without netvm: netvm section" || ok
grep -q '^  io_path direct$' "$t/out" && ok || bad "status 10: io_path"

# nfsswap10 encrypted: held by dm-3, its mapping, swap as /dev/dm-3.
mkdir -p "$t/sys/block/nfsswap10/holders/dm-3" "$t/sys/block/dm-3/dm"
echo nfsswap10_crypt >"$t/sys/block/dm-3/dm/name"
mkdir -p "$t/sys/block/nfsswap10/holders/dm-3/dm"
echo nfsswap10_crypt >"$t/sys/block/nfsswap10/holders/dm-3/dm/name"
printf 'Filename Type Size Used Priority\n/dev/dm-3 partition 1020 4 9\n' >"$t/proc/swaps"
for dev in 10 /dev/mapper/nfsswap10_crypt "$t/dev/mapper/nfsswap10_crypt" nfsswap10_crypt; do
	run status "$dev"
	expect "status $dev, encrypted" 0 - -
	tail -5 "$t/out" >"$t/got"
	printf '  swap_active 1\n  swap_size_kib 1020\n  swap_used_kib 4\n  swap_priority 9\n  encrypted %s\n' \
		"$t/dev/mapper/nfsswap10_crypt" >"$t/want"
	cmp -s "$t/got" "$t/want" && ok || bad "status $dev, encrypted: tail"
done
run list
expect "list, encrypted" 0 - -
grep -qxF "nfsswap10 /mnt/nfs/swap10 10.77.0.1 direct $t/dev/mapper/nfsswap10_crypt" "$t/out" &&
	grep -qx 'nfsswap2 .* swapops' "$t/out" && ok || bad "list, encrypted: lines"
run status /dev/mapper/nfsswap10
expect "status /dev/mapper/nfsswap10" 2 "$empty" "or /dev/mapper/nfsswapN_crypt"
rm -r "$t/sys/block/nfsswap10/holders" "$t/sys/block/dm-3"

# --- thin-client commands: create, config, up, down ----------------------
export NFSSWAP_RUN_ROOT=$t/run NFSSWAP_HOSTNAME=pc12.school.lan
mkdir -p "$t/run" "$t/nfs/swap"
run create "$t/nfs/swap/made" 3M
expect "create" 0 - -
grep -qF "made: created, 3145728 bytes, fully allocated" "$t/out" && ok || bad "create: output"
[ "$(stat -c %s "$t/nfs/swap/made")" = 3145728 ] && ok || bad "create: size"
[ $(($(stat -c %b "$t/nfs/swap/made") * $(stat -c %B "$t/nfs/swap/made"))) -ge 3145728 ] &&
	ok || bad "create: not allocated"
[ -z "$(tr -d '\0' <"$t/nfs/swap/made" | head -c 1)" ] && ok || bad "create: not zeros"
run create "$t/nfs/swap/made" 4M
expect "create, other size" 1 "$empty" "exists with 3145728 bytes, not 4194304; not touched"
run create "$t/nfs/swap/x" 1G5
expect "create, bad size" 2 "$empty" "bad size '1G5'"
[ "$(ls -A "$t/nfs/swap")" = made ] && ok || bad "create: files left: $(ls -A "$t/nfs/swap")"

# The example configuration of thinclient/, pointed at the test's tree.
sed "s|^SWAPFILE=/var/swap/|SWAPFILE=$t/nfs/swap/|" "$top/thinclient/netvm-swap.conf" >"$t/conf"
grep -q "^SWAPFILE=$t/nfs/swap/%l$" "$t/conf" && ok || bad "example config: SWAPFILE=/var/swap/%l"
printf 'swapfile %s\nsize 1073741824\npriority 10\ninitramfs no\nmin_free_kbytes 16384\nencrypt yes\n' \
	"$t/nfs/swap/pc12" >"$t/want"
run config --config "$t/conf"
expect "config of the example" 0 "$t/want" -
NFSSWAP_HOSTNAME=localhost run config -c "$t/conf"
expect "config on localhost" 2 "$empty" "every such client would swap to the same file"
sed 's/^SIZE=.*/SIZE=4M/' "$t/conf" >"$t/conf4"
# vm.min_free_kbytes (MIN_FREE_KBYTES=16384 in the example), under $t/proc.
mf=$t/proc/sys/vm/min_free_kbytes
mkdir -p "$t/proc/sys/vm"
echo 1448 >"$mf"
run up -c "$t/conf4"
expect "up, not on NFS" 1 "$empty" "not on NFS (filesystem type"
[ ! -e "$t/nfs/swap/pc12" ] && ok || bad "up, not on NFS: file made"
[ "$(cat "$mf")" = 1448 ] && ok || bad "up, not on NFS: min_free_kbytes $(cat "$mf")"
NFSSWAP_ANY_FS=1 run up -c "$t/conf4"
unset NFSSWAP_ANY_FS	# a POSIX shell may keep it after the function
echo "vm.min_free_kbytes: 1448 -> 16384 kB" >"$t/want"
expect "up, no module" 1 "$t/want" "modprobe netvm_swap"
[ "$(cat "$mf")" = 16384 ] && ok || bad "up: min_free_kbytes $(cat "$mf"), want 16384"
[ "$(stat -c %s "$t/nfs/swap/pc12")" = 4194304 ] && ok || bad "up: file not made"
[ ! -e "$t/run/netvm-swap/devices" ] && ok || bad "up failed, yet recorded"
# Never lowered.
echo 22528 >"$mf"
NFSSWAP_ANY_FS=1 run up -c "$t/conf4"
unset NFSSWAP_ANY_FS
echo "vm.min_free_kbytes: already 22528 kB, not lowered to 16384" >"$t/want"
expect "up, min_free_kbytes higher" 1 "$t/want" "modprobe netvm_swap"
[ "$(cat "$mf")" = 22528 ] && ok || bad "up lowered min_free_kbytes to $(cat "$mf")"
# Empty: left alone, not even read.
sed 's/^MIN_FREE_KBYTES=.*/MIN_FREE_KBYTES=/' "$t/conf4" >"$t/conf-mf"
grep -qx "MIN_FREE_KBYTES=" "$t/conf-mf" && ok || bad "example config: no MIN_FREE_KBYTES line"
run config -c "$t/conf-mf"
expect "config, MIN_FREE_KBYTES empty" 0 - -
grep -qx "min_free_kbytes -" "$t/out" && ok || bad "config, MIN_FREE_KBYTES empty: output"
# ENCRYPT: yes in the example; printed last.
grep -qx "ENCRYPT=yes" "$t/conf" && ok || bad "example config: no ENCRYPT=yes line"
for v in no ''; do
	sed "s/^ENCRYPT=yes\$/ENCRYPT=$v/" "$t/conf" >"$t/conf-enc"
	run config -c "$t/conf-enc"
	expect "config, ENCRYPT=$v" 0 - -
	[ "$(tail -1 "$t/out")" = "encrypt no" ] && ok || bad "config, ENCRYPT=$v: last line"
done
sed 's/^ENCRYPT=yes$/ENCRYPT=on/' "$t/conf" >"$t/conf-enc"
encline=$(grep -n "^ENCRYPT=" "$t/conf-enc" | cut -d: -f1)
run config -c "$t/conf-enc"
expect "config, ENCRYPT=on" 2 "$empty" "$t/conf-enc:$encline: ENCRYPT 'on': give yes or no"
echo 1448 >"$mf"
NFSSWAP_ANY_FS=1 run up -c "$t/conf-mf"
unset NFSSWAP_ANY_FS
expect "up, MIN_FREE_KBYTES empty" 1 "$empty" "modprobe netvm_swap"
[ "$(cat "$mf")" = 1448 ] && ok || bad "up, MIN_FREE_KBYTES empty: changed to $(cat "$mf")"
# Bad values: path:line: KEY 'value': ...
mfline=$(grep -n "^MIN_FREE_KBYTES=" "$t/conf4" | cut -d: -f1)
for v in 16M -1 4194305 016384 auto; do
	sed "s/^MIN_FREE_KBYTES=.*/MIN_FREE_KBYTES=$v/" "$t/conf4" >"$t/conf-mf"
	run up -c "$t/conf-mf"
	expect "up, MIN_FREE_KBYTES=$v" 2 "$empty" \
		"conf-mf:$mfline: MIN_FREE_KBYTES '$v': give a number of kB, 0..4194304"
done
[ "$(cat "$mf")" = 1448 ] && ok || bad "up with a bad MIN_FREE_KBYTES: changed to $(cat "$mf")"
# Cannot be written: an error, the swap file not attached.
if [ "$(id -u)" != 0 ]; then
	chmod 0444 "$mf"
	NFSSWAP_ANY_FS=1 run up -c "$t/conf4"
	unset NFSSWAP_ANY_FS
	expect "up, min_free_kbytes read-only" 1 "$empty" \
		"cannot raise vm.min_free_kbytes from 1448 to 16384 kB: permission denied"
	grep -q "modprobe netvm_swap" "$t/err" && bad "up, min_free_kbytes read-only: went on" || ok
	chmod 0644 "$mf"
else
	echo "skip: a read-only min_free_kbytes is writable for root"
	skipped=$((skipped + 1))
fi
rm -f "$mf"
NFSSWAP_ANY_FS=1 run up -c "$t/conf4"
unset NFSSWAP_ANY_FS
expect "up, no min_free_kbytes" 1 "$empty" "cannot read vm.min_free_kbytes: no such file"
run down -c "$t/conf4"
expect "down, nothing up" 0 "$empty" -
echo 'SWAPFILE=/x SIZE=1G' >"$t/conf-bad"
run up -c "$t/conf-bad"
expect "up, bad config" 2 "$empty" "conf-bad:1: SWAPFILE: bad value"
mkdir -p "$t/root/etc"
cp "$t/conf" "$t/root/etc/netvm-swap.conf"
run up --root "$t/root"
expect "up --root, INITRAMFS=no" 0 - -
grep -q "INITRAMFS is not yes: nothing to do" "$t/out" && ok || bad "up --root: output"
unset NFSSWAP_RUN_ROOT NFSSWAP_HOSTNAME

# --- device nodes (root) ----------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	# The control node comes from /sys/class/misc when udev is absent; here
	# it is /dev/null's number, which answers ENOTTY to the ioctl.
	mkdir -p "$t/sys/class/misc/nfsswap-control"
	echo 1:3 >"$t/sys/class/misc/nfsswap-control/dev"
	run attach "$t/swapfile"
	expect "attach, ENOTTY" 1 "$empty" "does not know NFSSWAP_IOC_ATTACH"
	[ -c "$t/dev/nfsswap-control" ] && ok || bad "control node made"
	run detach nfsswap3
	expect "detach, ENOTTY" 1 "$empty" "does not know NFSSWAP_IOC_DETACH"
	rm -f "$t/dev/nfsswap-control"
	# A regular file as control device: ENOTTY as well.
	: >"$t/dev/nfsswap-control"
	run attach "$t/swapfile"
	expect "attach, regular control" 1 "$empty" "does not know NFSSWAP_IOC_ATTACH"
else
	echo "skip: device node tests need root"
	skipped=$((skipped + 1))
fi

# A directory refused by open(2) before the kernel is asked.
run attach "$t"
expect "attach a directory" 1 "$empty" "is a directory"

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
