#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 256
# netvm's A/B test (tests/guest/pressure.sh) over NBD (nbd-client -swap:
# the nbd driver marks its socket SOCK_MEMALLOC), with the kernel's default
# tcp_mem, the scenario measured on stock 6.1: netvm protects every
# SOCK_MEMALLOC transport, not only its own.  (With tcp_mem at 64 96 128,
# NBD ran at 63-86% of its speed: under TCP memory pressure the kernel
# stops growing a socket's buffers, which netvm does not change.)
. /usr/lib/netvm-test/lib.sh
. /usr/lib/netvm-test/pressure.sh

modprobe netvm || fail "modprobe netvm"
modprobe nbd || fail "modprobe nbd"
nbd-client -N swap -b 4096 -swap "$SERVER" /dev/nbd0 || fail "nbd-client $SERVER"
mkswap /dev/nbd0 >/dev/null || fail "mkswap /dev/nbd0"
swapoff -a 2>/dev/null
swapon /dev/nbd0 || fail "swapon /dev/nbd0"

pressure_ab "NBD" 10809 default

swapoff /dev/nbd0 || fail "swapoff /dev/nbd0"
nbd-client -d /dev/nbd0 || fail "nbd-client -d"
rmmod netvm || fail "rmmod netvm"
log "NBD: stalls without netvm's exemption, full speed with it"
