// SPDX-License-Identifier: GPL-2.0
/*
 * linkperf: raw TCP throughput of the link between a guest and its server,
 * both directions, for the swap benchmark (tests/bench/).
 *
 * Server: linkperf -l PORT [-b ADDR]   (default ADDR 127.0.0.1)
 *   serves every connection until it closes: a request is one byte, 'D'
 *   (send me N bytes) or 'U' (here come N bytes, answer 'K' when you have
 *   them all), followed by N as 8 bytes, big-endian.
 * Client: linkperf -c ADDR:PORT [-m MiB] [-n runs]
 *   per run, times N MiB down then up over one connection and prints
 *   linkperf: run=1 dir=down bytes=268435456 seconds=2.66 MBps=100.9
 * Exit status: 0 all transfers complete, 1 an error, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_full(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p = (char *)p + r;
		n -= r;
	}
	return 0;
}

static int write_full(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p = (const char *)p + r;
		n -= r;
	}
	return 0;
}

static int sink(int fd, uint64_t n)
{
	while (n) {
		size_t c = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t r = read(fd, buf, c);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n -= r;
	}
	return 0;
}

static int source(int fd, uint64_t n)
{
	while (n) {
		size_t c = n < sizeof(buf) ? n : sizeof(buf);

		if (write_full(fd, buf, c))
			return -1;
		n -= c;
	}
	return 0;
}

static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = v & 0xff;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void serve_one(int fd)
{
	unsigned char req[9];

	while (!read_full(fd, req, sizeof(req))) {
		uint64_t n = get64(req + 1);

		if (req[0] == 'D') {
			if (source(fd, n))
				break;
		} else if (req[0] == 'U') {
			if (sink(fd, n) || write_full(fd, "K", 1))
				break;
		} else {
			break;
		}
	}
	_exit(0);
}

static int serve(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, ls;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "linkperf: bad address '%s'\n", addr);
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 16)) {
		perror("linkperf: listen");
		return 1;
	}
	for (;;) {
		int fd = accept(ls, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("linkperf: accept");
			return 1;
		}
		if (fork() == 0) {
			close(ls);
			serve_one(fd);
		}
		close(fd);
	}
}

static int client(const char *target, unsigned long mib, unsigned long runs)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 300 };
	uint64_t n = (uint64_t)mib << 20;
	unsigned char req[9];
	char host[64], *colon;
	unsigned long r;
	int fd;

	snprintf(host, sizeof(host), "%s", target);
	colon = strrchr(host, ':');
	if (!colon)
		return 2;
	*colon = 0;
	sa.sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "linkperf: bad address '%s'\n", host);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("linkperf: connect");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	put64(req + 1, n);
	for (r = 1; r <= runs; r++) {
		double t0 = now(), t;
		char k;

		req[0] = 'D';
		if (write_full(fd, req, sizeof(req)) || sink(fd, n)) {
			perror("linkperf: download");
			return 1;
		}
		t = now() - t0;
		printf("linkperf: run=%lu dir=down bytes=%llu seconds=%.3f MBps=%.1f\n", r,
		       (unsigned long long)n, t, n / t / 1e6);
		fflush(stdout);
		t0 = now();
		req[0] = 'U';
		if (write_full(fd, req, sizeof(req)) || source(fd, n) ||
		    read_full(fd, &k, 1) || k != 'K') {
			perror("linkperf: upload");
			return 1;
		}
		t = now() - t0;
		printf("linkperf: run=%lu dir=up bytes=%llu seconds=%.3f MBps=%.1f\n", r,
		       (unsigned long long)n, t, n / t / 1e6);
		fflush(stdout);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *bind_addr = "127.0.0.1", *target = NULL;
	unsigned long mib = 64, runs = 1;
	int opt, port = 0;

	while ((opt = getopt(argc, argv, "l:b:c:m:n:")) != -1) {
		switch (opt) {
		case 'l':
			port = atoi(optarg);
			break;
		case 'b':
			bind_addr = optarg;
			break;
		case 'c':
			target = optarg;
			break;
		case 'm':
			mib = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			runs = strtoul(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (port > 0 && port < 65536 && !target)
		return serve(bind_addr, port);
	if (target && !port && mib && runs)
		return client(target, mib, runs);
usage:
	fprintf(stderr, "usage: linkperf -l PORT [-b ADDR]\n"
		"       linkperf -c ADDR:PORT [-m MiB] [-n runs]\n");
	return 2;
}
