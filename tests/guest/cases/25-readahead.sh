#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
# memory: 256
# Read-ahead of /dev/nfsswapN (swapfs/readahead.c), on the raw device with
# O_DIRECT so that each read and write reaches the driver as written here:
#  - sequential reads are served from windows read ahead (hits and bytes
#    served counted) and come back intact;
#  - a write into a range already read ahead is what later reads return
#    (the windows it overlaps are dropped);
#  - scattered reads start no read-ahead;
#  - readahead_kb=0 turns it off; a value over the limit is refused;
#  - both I/O paths; nothing is left behind and the module unloads.
. /usr/lib/netvm-test/lib.sh

nfs_mount 4.2 /mnt/v42
f=/mnt/v42/t25-file
dd if=/dev/zero of=$f bs=1M count=16 2>/dev/null || fail "cannot write $f"

for path in swapops direct; do
	log "=== io_path=$path"
	unload_swap 2>/dev/null
	modprobe netvm_swap io_path=$path || fail "modprobe netvm_swap io_path=$path"
	dev=$(nfsswapctl attach $f) || fail "attach $f"
	grep -q '\[none\]' /sys/block/${dev#/dev/}/queue/scheduler ||
		fail "scheduler of $dev: $(cat /sys/block/${dev#/dev/}/queue/scheduler)"
	kb=$(counter $dev readahead_kb)
	log "$dev: readahead_kb $kb"
	[ "$kb" -gt 0 ] || fail "read-ahead is off by default"

	blkpattern write $dev 0 16384 1 || fail "write tag 1"
	h0=$(counter $dev readahead_hits)
	r0=$(counter $dev readahead_reads)
	s0=$(counter $dev readahead_served)
	# A stream through the first 4 MiB: windows are read ahead of it.
	blkpattern check $dev 0 4096 1 || fail "sequential read of tag 1"
	h1=$(counter $dev readahead_hits)
	w1=$(counter $dev readahead_waits)
	r1=$(counter $dev readahead_reads)
	s1=$(counter $dev readahead_served)
	log "4 MiB in 32 KiB reads: $((h1 - h0)) hits, $w1 waits, $((r1 - r0)) window reads"
	[ $((r1 - r0)) -gt 0 ] || fail "a sequential stream started no read-ahead"
	[ $((h1 - h0 + w1)) -ge 64 ] ||
		fail "only $((h1 - h0)) of 128 reads were served from read-ahead"
	# Every hit copied one whole 32 KiB read out of the windows.
	[ $((s1 - s0)) = $(((h1 - h0) * 32768)) ] ||
		fail "readahead_served grew by $((s1 - s0)) bytes for $((h1 - h0)) hits of 32 KiB"

	# The windows ahead of the stream now hold tag 1 for [4 MiB, 5 MiB).
	# Overwrite a part of that range; the stream must then read the new
	# pages where they were written and the old ones around them.
	blkpattern write $dev 4160 128 2 32 || fail "write tag 2"
	blkpattern check $dev 4096 64 1 || fail "read before the overwritten range"
	blkpattern check $dev 4160 128 2 || fail "read-ahead returned overwritten data"
	blkpattern check $dev 4288 3904 1 || fail "read after the overwritten range"
	h2=$(counter $dev readahead_hits)
	log "after the overwrite: $((h2 - h1)) more hits"
	[ $((h2 - h1)) -gt 0 ] || fail "the stream lost read-ahead after a write"

	# Scattered one-page reads, 1 MiB apart backwards: no stream, no
	# window read.
	r2=$(counter $dev readahead_reads)
	blkpattern scatter $dev 12 1024 || fail "scattered reads"
	r3=$(counter $dev readahead_reads)
	[ "$r3" = "$r2" ] || fail "scattered reads started $((r3 - r2)) window reads"
	blkpattern check $dev 0 16384 1 64 >check.log || {
		head -5 check.log
		# Only the 128 KiB of tag 2 may differ.
		[ "$(grep -c 'want tag 1' check.log)" = 32 ] ||
			fail "whole-device check: $(tail -1 check.log)"
	}
	[ "$(counter $dev errors)" = 0 ] || fail "failed requests"
	nfsswapctl status $dev
	nfsswapctl detach $dev || fail "detach $dev"
done

# Off, and the limit.
unload_swap || fail "rmmod netvm_swap"
modprobe netvm_swap readahead_kb=0 || fail "modprobe readahead_kb=0"
dev=$(nfsswapctl attach $f) || fail "attach $f with read-ahead off"
[ "$(counter $dev readahead_kb)" = 0 ] || fail "readahead_kb=0 left read-ahead on"
blkpattern write $dev 0 1024 3 || fail "write tag 3"
blkpattern check $dev 0 1024 3 || fail "read with read-ahead off"
[ "$(counter $dev readahead_hits)" = 0 ] || fail "hits with read-ahead off"
[ "$(counter $dev readahead_reads)" = 0 ] || fail "window reads with read-ahead off"
[ "$(counter $dev readahead_served)" = 0 ] || fail "bytes served with read-ahead off"
nfsswapctl detach $dev || fail "detach $dev"
p=/sys/module/netvm_swap/parameters/readahead_kb
if echo 1000000 >$p 2>/dev/null; then
	fail "readahead_kb 1000000 accepted"
fi
[ "$(cat $p)" = 0 ] || fail "a refused readahead_kb changed it to $(cat $p)"
dmesg | grep -q "readahead_kb 1000000 is above" || fail "no reason logged for the refused readahead_kb"
echo 512 >$p || fail "readahead_kb 512 refused"
dev=$(nfsswapctl attach $f) || fail "attach $f"
[ "$(counter $dev readahead_kb)" = 512 ] || fail "readahead_kb 512: device has $(counter $dev readahead_kb)"
nfsswapctl detach $dev || fail "detach $dev"

unload_swap || fail "rmmod netvm_swap"
rm -f $f
log "read-ahead: streams served, overwrites seen, scattered reads left alone"
