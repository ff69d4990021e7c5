#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host-side tests of the thin-client pieces (thinclient/): `make
# install-tools` into a scratch tree, the scripts under sh -n and the
# linter, the systemd unit under systemd-analyze verify, the initramfs
# hook and nfs-bottom script run against stand-ins of initramfs-tools'
# functions (with the real nfsswapctl).  Prints "N passed, M failed" last.
#
# usage: thinclient.sh NFSSWAPCTL_BINARY
# ok always succeeds, so "A && ok || bad" is if-then-else here; the
# printf templates write scripts whose $ expands later.
# shellcheck disable=SC2015,SC2016
set -u
tool=${1:?usage: thinclient.sh NFSSWAPCTL}
case $tool in /*) ;; *) tool=$PWD/$tool ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
passed=0
failed=0
skipped=0

t=$(mktemp -d /tmp/nfsswapctl-thin.XXXXXX)
trap 'rm -rf "$t"' EXIT

ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
skip() {
	skipped=$((skipped + 1))
	echo "skip: $*"
}
# has FILE STRING: FILE has a line that is STRING
has() { grep -qxF -- "$2" "$1"; }

hook=thinclient/initramfs-tools/hooks/netvm-swap
bottom=thinclient/initramfs-tools/scripts/nfs-bottom/netvm-swap
gen=thinclient/netvm-swap-generator

# --- install ----------------------------------------------------------------
d=$t/dest
if make -s -C "$top" install-tools DESTDIR="$d" >"$t/install.log" 2>&1; then ok; else
	bad "make install-tools DESTDIR=$d"; cat "$t/install.log"
fi
for f in usr/local/sbin/nfsswapctl etc/initramfs-tools/hooks/netvm-swap \
	etc/initramfs-tools/scripts/nfs-bottom/netvm-swap etc/systemd/system-generators/netvm-swap-generator; do
	[ -f "$d/$f" ] && [ -x "$d/$f" ] && ok || bad "install: $f missing or not executable"
done
for f in etc/netvm-swap.conf etc/systemd/system/netvm-swap.service; do
	[ "$(stat -c %a "$d/$f" 2>/dev/null)" = 644 ] && ok || bad "install: $f missing or not 0644"
done
[ "$(find "$d" -type f | wc -l)" = 6 ] && ok || bad "install: other files: $(find "$d" -type f)"
cmp -s "$top/thinclient/netvm-swap.conf" "$d/etc/netvm-swap.conf" && ok || bad "install: config differs"
u=$d/etc/systemd/system/netvm-swap.service
has "$u" "ExecStart=/usr/local/sbin/nfsswapctl up" && has "$u" "ExecStop=/usr/local/sbin/nfsswapctl down" &&
	ok || bad "install: unit's ExecStart/ExecStop"
has "$d/etc/initramfs-tools/hooks/netvm-swap" "copy_exec /usr/local/sbin/nfsswapctl /sbin/nfsswapctl" &&
	ok || bad "install: hook's copy_exec"
grep -qF '	/usr/local/sbin/nfsswapctl config --config "$conf"' \
	"$d/etc/systemd/system-generators/netvm-swap-generator" && ok || bad "install: generator's nfsswapctl"
grep -rl '@[A-Z]*@' "$d" >"$t/left" 2>/dev/null
[ ! -s "$t/left" ] && ok || bad "install: @VAR@ left in $(cat "$t/left")"
"$d/usr/local/sbin/nfsswapctl" --version >/dev/null && ok || bad "install: nfsswapctl does not run"

# An existing configuration is kept; the rest is replaced.
echo "SWAPFILE=/mine" >"$d/etc/netvm-swap.conf"
echo "old" >"$u"
make -s -C "$top" install-tools DESTDIR="$d" >"$t/install.log" 2>&1 || bad "install again"
[ "$(cat "$d/etc/netvm-swap.conf")" = SWAPFILE=/mine ] && ok || bad "install: config overwritten"
has "$u" "ExecStart=/usr/local/sbin/nfsswapctl up" && ok || bad "install: unit not replaced"

# PREFIX=/usr, and a packager's unit directory.
d2=$t/dest2
make -s -C "$top" install-tools DESTDIR="$d2" PREFIX=/usr UNITDIR=/lib/systemd/system \
	>"$t/install.log" 2>&1 || bad "install PREFIX=/usr"
[ -x "$d2/usr/sbin/nfsswapctl" ] && has "$d2/lib/systemd/system/netvm-swap.service" \
	"ExecStart=/usr/sbin/nfsswapctl up" && has "$d2/etc/initramfs-tools/hooks/netvm-swap" \
	"copy_exec /usr/sbin/nfsswapctl /sbin/nfsswapctl" && ok || bad "install PREFIX=/usr: paths"

# --- the scripts --------------------------------------------------------------
for f in "$hook" "$bottom" "$gen"; do
	sh -n "$top/$f" && ok || bad "sh -n $f"
done
if command -v shellcheck >/dev/null; then
	(cd "$top" && shellcheck -s sh "$hook" "$bottom" "$gen" tools/tests/thinclient.sh) >"$t/sc.log" 2>&1 &&
		ok || { bad "shellcheck"; cat "$t/sc.log"; }
else
	skip "shellcheck is not installed"
fi

# --- the unit ---------------------------------------------------------------
# Installed under a real prefix, so that the command paths exist here.
p=$t/prefix
make -s -C "$top" install-tools DESTDIR= PREFIX="$p" SYSCONFDIR="$p/etc" >"$t/install.log" 2>&1 ||
	bad "install PREFIX=$p"
if command -v systemd-analyze >/dev/null; then
	# Warnings (unknown keys, bad paths) do not change its exit status.
	systemd-analyze verify "$p/etc/systemd/system/netvm-swap.service" >"$t/sa.log" 2>&1 &&
		[ ! -s "$t/sa.log" ] && ok || { bad "systemd-analyze verify"; cat "$t/sa.log"; }
	# ... and it does catch a unit whose command is missing.
	sed "s|$p/sbin/nfsswapctl up|$p/sbin/nfsswapctl-missing up|" \
		"$p/etc/systemd/system/netvm-swap.service" >"$t/netvm-swap.service"
	systemd-analyze verify "$t/netvm-swap.service" >/dev/null 2>&1 &&
		bad "systemd-analyze verify passes a unit with a missing command" || ok
else
	skip "systemd-analyze is not installed"
fi
# Ordering that the shutdown depends on (swapoff before the mount and the
# network go away), and what makes it a oneshot that stays up.
for l in "After=network-online.target remote-fs.target" "Wants=network-online.target" \
	"Type=oneshot" "RemainAfterExit=yes" "ExecStartPre=/sbin/modprobe netvm_swap" \
	"TimeoutStopSec=infinity" "WantedBy=multi-user.target"; do
	has "$top/thinclient/netvm-swap.service" "$l" && ok || bad "unit lacks '$l'"
done
grep -q '^Before=.*swap.target' "$top/thinclient/netvm-swap.service" &&
	bad "unit is Before=swap.target: an ordering cycle with network-online.target" || ok

# --- the generator (installed under the prefix: the real nfsswapctl) --------
g=$p/etc/systemd/system-generators/netvm-swap-generator
drop=$t/gen/netvm-swap.service.d/50-swapfile-mount.conf
run_gen() {
	rm -rf "$t/gen"
	mkdir -p "$t/gen" "$t/gen-early" "$t/gen-late"
	NETVM_SWAP_CONF=$t/gen.conf sh "$g" "$t/gen" "$t/gen-early" "$t/gen-late" >"$t/out" 2>&1
	rc=$?
}
run_gen
[ $rc = 0 ] && [ -z "$(ls -A "$t/gen")" ] && ok || bad "generator, no config: exit $rc, $(ls -A "$t/gen")"
cp "$top/thinclient/netvm-swap.conf" "$t/gen.conf"
NFSSWAP_HOSTNAME=pc12.school.lan run_gen
unset NFSSWAP_HOSTNAME
[ $rc = 0 ] && has "$drop" "[Unit]" && has "$drop" "RequiresMountsFor=/var/swap" && [ ! -s "$t/out" ] &&
	ok || { bad "generator: exit $rc"; cat "$t/out" "$drop"; }
# Before the host has a name: the directory all the same.
printf 'SWAPFILE=/srv/%%l/100%%%%/swap\n' >"$t/gen.conf"
NFSSWAP_HOSTNAME=localhost run_gen
unset NFSSWAP_HOSTNAME
[ $rc = 0 ] && has "$drop" "RequiresMountsFor=/srv/unnamed-host/100%%" && ok ||
	{ bad "generator, no host name: exit $rc"; cat "$t/out" "$drop"; }
# A broken configuration, a file in /, a path with blanks: nothing written.
for c in "SWAPFILE=relative" "SWAPFILE=/swap" "SWAPFILE='/my swap/x'"; do
	echo "$c" >"$t/gen.conf"
	run_gen
	[ $rc = 0 ] && [ -z "$(ls -A "$t/gen")" ] && [ ! -s "$t/out" ] && ok ||
		bad "generator with $c: exit $rc, wrote $(ls -A "$t/gen") $(cat "$t/out")"
done
if command -v systemd-analyze >/dev/null; then
	# The unit with the generator's drop-in still verifies.
	echo "SWAPFILE=/var/swap/x" >"$t/gen.conf"
	run_gen
	mkdir -p "$t/unit"
	cp "$p/etc/systemd/system/netvm-swap.service" "$t/unit/"
	cp -r "$t/gen/netvm-swap.service.d" "$t/unit/"
	systemd-analyze verify "$t/unit/netvm-swap.service" >"$t/sa.log" 2>&1 &&
		[ ! -s "$t/sa.log" ] && ok || { bad "systemd-analyze verify with the drop-in"; cat "$t/sa.log"; }
	# ... which it reads: a bad one is reported.
	echo "RequiresMountsFor=relative" >>"$t/unit/netvm-swap.service.d/50-swapfile-mount.conf"
	systemd-analyze verify "$t/unit/netvm-swap.service" 2>&1 | grep -q "50-swapfile-mount.conf" &&
		ok || bad "systemd-analyze verify does not read the drop-in"
fi

# --- the initramfs hook, against stand-ins of hook-functions -----------------
mkdir -p "$t/bin"
cat >"$t/hook-functions" <<X
manual_add_modules() { echo "manual_add_modules \$*" >>"$t/calls"; }
copy_exec() { echo "copy_exec \$*" >>"$t/calls"; }
X
# modinfo -k VERSION netvm_swap answers as \$MODINFO_RC says.
printf '#!/bin/sh\necho "modinfo $*" >>"%s/calls"\nexit ${MODINFO_RC:-0}\n' "$t" >"$t/bin/modinfo"
chmod +x "$t/bin/modinfo"
sed "s|/usr/share/initramfs-tools/hook-functions|$t/hook-functions|" \
	"$d/etc/initramfs-tools/hooks/netvm-swap" >"$t/hook"
run_hook() {
	: >"$t/calls"
	PATH=$t/bin:$PATH version=6.1.0-50-amd64 sh "$t/hook" "$@" >"$t/out" 2>"$t/err"
	rc=$?
}
run_hook prereqs
[ $rc = 0 ] && [ ! -s "$t/calls" ] && [ -z "$(tr -d '\n' <"$t/out")" ] && ok || bad "hook prereqs"
run_hook
[ $rc = 0 ] && has "$t/calls" "modinfo -k 6.1.0-50-amd64 netvm_swap" &&
	has "$t/calls" "manual_add_modules netvm netvm_swap" &&
	has "$t/calls" "manual_add_modules dm_crypt" && has "$t/calls" "manual_add_modules xts" &&
	has "$t/calls" "copy_exec /usr/local/sbin/nfsswapctl /sbin/nfsswapctl" && ok ||
	{ bad "hook: exit $rc, calls:"; cat "$t/calls" "$t/err"; }
MODINFO_RC=1 run_hook
unset MODINFO_RC	# a POSIX shell may keep it after the function
[ $rc = 0 ] && ! grep -q manual_add_modules "$t/calls" && ! grep -q copy_exec "$t/calls" &&
	grep -q "no netvm_swap module for 6.1.0-50-amd64" "$t/err" && ok ||
	{ bad "hook without the module: exit $rc"; cat "$t/calls" "$t/err"; }

# --- the nfs-bottom script, with the real nfsswapctl ---------------------------
# Stand-ins: /scripts/functions, modprobe, and the paths of the initramfs.
cat >"$t/functions" <<X
log_begin_msg() { echo "begin \$*" >>"$t/calls"; }
log_end_msg() { echo "end" >>"$t/calls"; }
log_warning_msg() { echo "warning \$*" >>"$t/calls"; }
X
printf '#!/bin/sh\necho "modprobe $*" >>"%s/calls"\nexit ${MODPROBE_RC:-0}\n' "$t" >"$t/bin/modprobe"
printf '#!/bin/sh\necho "nfsswapctl $*" >>"%s/calls"\nexec "%s" "$@"\n' "$t" "$tool" >"$t/bin/nfsswapctl"
printf '(none)\n' >"$t/hostname"
mkdir -p "$t/run"
chmod +x "$t/bin/modprobe" "$t/bin/nfsswapctl"
sed -e "s|/scripts/functions|$t/functions|" -e "s|/sbin/nfsswapctl|$t/bin/nfsswapctl|" \
	-e "s|/proc/sys/kernel/hostname|$t/hostname|" -e "s|/run/net-|$t/run/net-|" \
	"$top/$bottom" >"$t/bottom"
r=$t/root
mkdir -p "$r/etc" "$r/var/swap" "$t/proc/sys/vm"
# Never the machine's own vm.min_free_kbytes.
mf=$t/proc/sys/vm/min_free_kbytes
echo 1448 >"$mf"
run_bottom() {
	: >"$t/calls"
	PATH=$t/bin:$PATH rootmnt=$r NFSSWAP_SYSFS_ROOT=$t/sys NFSSWAP_DEV_ROOT=$t/dev \
		NFSSWAP_RUN_ROOT=$t/run NFSSWAP_PROC_ROOT=$t/proc NFSSWAP_ANY_FS=1 \
		sh "$t/bottom" "$@" >"$t/out" 2>"$t/err"
	rc=$?
}
run_bottom prereqs
[ $rc = 0 ] && [ ! -s "$t/calls" ] && ok || bad "nfs-bottom prereqs"
run_bottom
[ $rc = 0 ] && [ ! -s "$t/calls" ] && ok || { bad "nfs-bottom, no config: exit $rc"; cat "$t/calls"; }
cp "$top/thinclient/netvm-swap.conf" "$r/etc/netvm-swap.conf"
run_bottom
[ $rc = 0 ] && ! grep -q modprobe "$t/calls" && ! grep -q "nfsswapctl up" "$t/calls" &&
	[ "$(cat "$mf")" = 1448 ] && ok || { bad "nfs-bottom, INITRAMFS=no: exit $rc"; cat "$t/calls"; }
# INITRAMFS=yes, the host name from DHCP: vm.min_free_kbytes raised, the file
# is made on the root, the attach fails without the module; a warning, and
# the boot goes on.
sed -e 's/^INITRAMFS=.*/INITRAMFS=yes/' -e 's/^SIZE=.*/SIZE=2M/' -e 's/^ENCRYPT=.*/ENCRYPT=no/' \
	"$top/thinclient/netvm-swap.conf" >"$r/etc/netvm-swap.conf"
printf "DEVICE='eth0'\nHOSTNAME='pc12'\nDNSDOMAIN='school.lan'\n" >"$t/run/net-eth0.conf"
run_bottom
[ $rc = 0 ] && has "$t/calls" "modprobe netvm_swap" && has "$t/calls" "nfsswapctl up --root $r" &&
	grep -q "^warning netvm-swap: no swap from the initramfs" "$t/calls" &&
	[ "$(stat -c %s "$r/var/swap/pc12" 2>/dev/null)" = 2097152 ] &&
	grep -q "netvm_swap module is not loaded" "$t/err" &&
	has "$t/out" "vm.min_free_kbytes: 1448 -> 16384 kB" && [ "$(cat "$mf")" = 16384 ] && ok ||
	{ bad "nfs-bottom, INITRAMFS=yes: exit $rc"; cat "$t/calls" "$t/out" "$t/err"; }
! grep -q "modprobe -q dm_crypt" "$t/calls" && ok || bad "nfs-bottom, ENCRYPT=no: dm_crypt loaded"
# ENCRYPT=yes (as shipped): dm_crypt and xts loaded first.
sed -e 's/^INITRAMFS=.*/INITRAMFS=yes/' -e 's/^SIZE=.*/SIZE=2M/' \
	"$top/thinclient/netvm-swap.conf" >"$r/etc/netvm-swap.conf"
run_bottom
[ $rc = 0 ] && has "$t/calls" "modprobe -q dm_crypt" && has "$t/calls" "modprobe -q xts" &&
	has "$t/calls" "nfsswapctl up --root $r" && ok ||
	{ bad "nfs-bottom, ENCRYPT=yes: exit $rc"; cat "$t/calls" "$t/err"; }
# modprobe fails: nfsswapctl up is not run; still exit 0.
MODPROBE_RC=1 run_bottom
unset MODPROBE_RC
[ $rc = 0 ] && ! grep -q "nfsswapctl up" "$t/calls" && grep -q "^warning" "$t/calls" && ok ||
	{ bad "nfs-bottom, modprobe fails: exit $rc"; cat "$t/calls"; }
# A broken configuration: up says why, the boot goes on.
echo "SWAPFILE=relative" >"$r/etc/netvm-swap.conf"
run_bottom
[ $rc = 0 ] && grep -q "SWAPFILE must be an absolute path" "$t/err" && grep -q "^warning" "$t/calls" &&
	ok || { bad "nfs-bottom, broken config: exit $rc"; cat "$t/calls" "$t/err"; }

if [ "$skipped" -gt 0 ]; then
	echo "thinclient: $passed passed, $failed failed, $skipped skipped"
else
	echo "thinclient: $passed passed, $failed failed"
fi
[ "$failed" = 0 ]
