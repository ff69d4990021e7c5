#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
# memory: 256
# 21-swap-stress-v42 over NFS 3: both io paths, a working set of twice the
# RAM, counters, swapoff integrity, attach/detach and on/off cycles.
NFSSWAP_TEST_VERS=3 exec sh "$(dirname "$0")/21-swap-stress-v42.sh"
