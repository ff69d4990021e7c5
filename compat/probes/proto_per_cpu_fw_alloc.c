// SPDX-License-Identifier: GPL-2.0
/*
 * struct proto.per_cpu_fw_alloc: 6.0 ("net: implement per-cpu reserves for
 * memory_allocated") keeps up to net.core.mem_pcpu_rsv pages of a
 * protocol's memory_allocated in per-CPU counters.
 */
#include <net/sock.h>

int netvm_probe(const struct proto *prot, int cpu);
int netvm_probe(const struct proto *prot, int cpu)
{
	return *per_cpu_ptr(prot->per_cpu_fw_alloc, cpu);
}
