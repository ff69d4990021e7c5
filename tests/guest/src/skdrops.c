// SPDX-License-Identifier: GPL-2.0
/*
 * skdrops: the drop counters of the TCP sockets connected to a remote port,
 * kernel sockets included (the NFS or NBD transport), through sock_diag,
 * as `ss -tm` shows them (skmem "d").
 *
 * usage: skdrops [-v] PORT
 * Output: "sockets N drops D" (IPv4 and IPv6 sockets whose peer port is
 * PORT, and the sum of their sk_drops); with -v first one line per socket
 * with its buffers and window state (to tell what limits a transport).
 * Exit status 1 on errors.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int verbose;

static void die(const char *what)
{
	fprintf(stderr, "skdrops: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Dump the TCP sockets of one family; add up those connected to @port. */
static void dump(int family, unsigned int port, unsigned long *socks,
		 unsigned long long *drops)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.sdiag_family = family,
			.sdiag_protocol = IPPROTO_TCP,
			.idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1) |
				     1 << (INET_DIAG_INFO - 1),
			.idiag_states = ~0U,
		},
	};
	static char buf[65536];
	int fd, done = 0;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		die("socket(NETLINK_SOCK_DIAG)");
	if (send(fd, &msg, sizeof(msg), 0) < 0)
		die("send");
	while (!done) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (len < 0)
			die("recv");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			struct inet_diag_msg *m = NLMSG_DATA(h);
			const struct tcp_info *ti = NULL;
			const __u32 *mi = NULL;
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				die("sock_diag dump");
			}
			if (ntohs(m->id.idiag_dport) != port)
				continue;
			(*socks)++;
			alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen);
			     a = RTA_NEXT(a, alen)) {
				if (a->rta_type == INET_DIAG_SKMEMINFO &&
				    RTA_PAYLOAD(a) > SK_MEMINFO_DROPS * sizeof(__u32))
					mi = RTA_DATA(a);
				if (a->rta_type == INET_DIAG_INFO &&
				    RTA_PAYLOAD(a) >= offsetof(struct tcp_info, tcpi_rcv_space) +
						      sizeof(ti->tcpi_rcv_space))
					ti = RTA_DATA(a);
			}
			if (mi)
				*drops += mi[SK_MEMINFO_DROPS];
			if (verbose && mi && ti)
				printf("socket rcvbuf %u sndbuf %u rmem %u wmem_queued %u fwd_alloc %u cwnd %u rcv_ssthresh %u rcv_space %u rtt_us %u snd_mss %u\n",
				       mi[SK_MEMINFO_RCVBUF], mi[SK_MEMINFO_SNDBUF],
				       mi[SK_MEMINFO_RMEM_ALLOC], mi[SK_MEMINFO_WMEM_QUEUED],
				       mi[SK_MEMINFO_FWD_ALLOC], ti->tcpi_snd_cwnd,
				       ti->tcpi_rcv_ssthresh, ti->tcpi_rcv_space,
				       ti->tcpi_rtt, ti->tcpi_snd_mss);
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long long drops = 0;
	unsigned long socks = 0;
	char *end;
	unsigned long port;

	if (argc == 3 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: skdrops [-v] PORT\n");
		return 2;
	}
	port = strtoul(argv[1], &end, 10);
	if (*end || !port || port > 65535) {
		fprintf(stderr, "skdrops: bad port '%s'\n", argv[1]);
		return 2;
	}
	dump(AF_INET, port, &socks, &drops);
	dump(AF_INET6, port, &socks, &drops);
	printf("sockets %lu drops %llu\n", socks, drops);
	return 0;
}
