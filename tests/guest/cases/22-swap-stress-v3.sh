#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
# memory: 256
# 21-swap-stress-v42 over NFS 3: a working set of twice the memory it may
# use, counters, swapoff integrity, attach/detach and on/off cycles.
# Both I/O paths run over NFS 4.2 (21); over NFS 3 the path users get by
# default (swapops), to keep the suite within the CI budget.
NFSSWAP_TEST_VERS=3 NFSSWAP_TEST_PATHS=swapops exec sh "$(dirname "$0")/21-swap-stress-v42.sh"
