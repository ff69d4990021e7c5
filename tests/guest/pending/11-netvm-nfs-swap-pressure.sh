# SPDX-License-Identifier: GPL-2.0
# The kernel's own swap over NFS (swapon on an NFS 4.2 file; sunrpc marks
# its transport SOCK_MEMALLOC) keeps working while a local user holds TCP
# memory over tcp_mem in loopback connections that never read, because
# netvm exempts the transport: stock kernels freeze here (measured on 6.1,
# shared/notes/test-environment.md).
# timeout: 1200
# memory: 256
. /usr/lib/netvm-test/lib.sh

N=/proc/net/netvm
mnt=/mnt/nfs
f=$mnt/t11-swapfile

val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

modprobe netvm || fail "modprobe netvm failed"
nfs_mount 4.2 $mnt
dd if=/dev/zero of=$f bs=1M count=256 2>/dev/null || fail "cannot write $f"
chmod 600 $f
mkswap $f >/dev/null || fail "mkswap $f"
swapoff -a 2>/dev/null
swapon $f || fail "swapon $f (native NFS swap)"
grep -q "^$f " /proc/swaps || fail "$f not in /proc/swaps: $(cat /proc/swaps)"

# Default tcp_mem[2] is about 18 MiB in a 256 MiB guest, which tcpfill
# gets close to; a low tcp_mem puts it over the hard limit for certain.
old_mem=$(cat /proc/sys/net/ipv4/tcp_mem)
echo "64 96 128" >/proc/sys/net/ipv4/tcp_mem
tcpfill -n 64 -b 320K >fill.out &
fill=$!
i=0
until grep -q fill_queued_bytes fill.out; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "tcpfill did not fill: $(cat fill.out)"
	sleep 1
done
cat fill.out
grep TCP: /proc/net/sockstat
log "TCP memory held; swapping over NFS"

# Some MiB more than is available go through swap: with the server guest
# in TCG swapping is slow, and 5.10 writes swap to NFS one page at a time.
over=16
[ "$KERNEL" = 5.10 ] && over=12
mib=$(($(awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo) + over))
(
	while sleep 30; do
		log "progress: $(awk '$1 ~ /^pswp(in|out)$/ { printf "%s %s ", $1, $2 }' /proc/vmstat)rx_exemptions $(val rx_exemptions $N) rx_refusals $(val rx_refusals $N)"
	done
) &
monitor=$!
swapstress -p 1 -m $mib -k 1 >stress.log 2>&1
rc=$?
kill $monitor
cat stress.log
cat $N
grep TCP: /proc/net/sockstat
kill $fill
wait $fill 2>/dev/null
echo "$old_mem" >/proc/sys/net/ipv4/tcp_mem
case $(grep '^swapstress: procs=' stress.log) in
*" corrupt=0 "*" failed_procs=0 "*) ;;
*) fail "swapstress under TCP memory pressure: $(tail -1 stress.log)" ;;
esac
[ $rc = 0 ] || fail "swapstress exit $rc"
[ "$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)" -gt 0 ] || fail "nothing was swapped out"
[ "$(val rx_exemptions $N)" -gt 0 ] || [ "$(val tx_exemptions $N)" -gt 0 ] ||
	fail "the NFS transport was never exempted: was tcp_mem exceeded?"
log "swap over NFS went on under TCP memory pressure: rx $(val rx_exemptions $N), tx $(val tx_exemptions $N) exemptions"

swapoff $f || fail "swapoff $f"
rm -f $f
umount $mnt
modprobe -r netvm || fail "modprobe -r netvm"
