// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_test_recursion_trylock(ip, parent_ip): 5.11 made ftrace callbacks
 * responsible for their own recursion protection (unless they set
 * FTRACE_OPS_FL_RECURSION) and added this helper; it has taken ip and
 * parent_ip since shortly after (all of 6.1, 6.12, 7.2).
 */
#include <linux/ftrace.h>

int netvm_probe(unsigned long ip, unsigned long parent_ip);
int netvm_probe(unsigned long ip, unsigned long parent_ip)
{
	int bit = ftrace_test_recursion_trylock(ip, parent_ip);

	if (bit >= 0)
		ftrace_test_recursion_unlock(bit);
	return bit;
}
