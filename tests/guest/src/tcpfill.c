// SPDX-License-Identifier: GPL-2.0
/*
 * tcpfill: hold TCP memory the way any local user can, in loopback
 * connections whose receivers never read; optionally, while it is held,
 * time a transfer between two sockets that netvm marks SOCK_MEMALLOC.
 *
 * usage: tcpfill [-n CONNS] [-b BYTES] [-t SECONDS] [-r | -x]
 *                [-m BYTES [-w SECONDS] [-d DIR]]
 *   -n  connections (default 64)
 *   -b  bytes to queue into each (default 320K; suffixes K, M, G)
 *   -t  hold for SECONDS, then exit (default: until killed)
 *   -r  receivers read and senders keep writing while holding: traffic
 *       instead of held memory
 *   -x  after filling, abort the sending ends (RST, their unsent data
 *       discarded): the receivers keep what they queued and nothing moves
 *       any more, so no retransmission of the helper's own shows in the
 *       TCP drop counters
 *   -m  after filling, send BYTES from one socket to another, both marked
 *       with netvm_sk_protect() through DIR/sk_protect, while the receiver
 *       does not read; then clear the marks (DIR/sk_unprotect), read and
 *       check the data
 *   -w  time allowed for each half of that transfer (default 10 s)
 *   -d  netvm's debugfs directory (default /sys/kernel/debug/netvm)
 *
 * Only 127.0.0.1 is used.  Results are "name value" lines on stdout.
 * Exit status: 0, 1 on errors, 2 if the -m transfer did not complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
/* A fill ends when no connection took data for this long, or at most ... */
#define FILL_IDLE_MS 1000
/* ... after this long. */
#define FILL_MAX_MS 20000

static unsigned char buf[CHUNK];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("tcpfill: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static unsigned long long parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		die("bad size '%s'", s);
	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		end++;
		break;
	}
	if (*end)
		die("bad size '%s'", s);
	return v;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		die("fcntl");
}

/* A listener on 127.0.0.1, an ephemeral port; rcvbuf > 0 forces SO_RCVBUF. */
static int listen_loopback(int backlog, int rcvbuf, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int one = 1;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUF");
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len) ||
	    listen(fd, backlog))
		die("listen on 127.0.0.1");
	return fd;
}

static void connect_pair(int lfd, const struct sockaddr_in *addr,
			 int sndbuf, int *client, int *server)
{
	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (*client < 0)
		die("socket");
	if (sndbuf > 0 &&
	    setsockopt(*client, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) &&
	    setsockopt(*client, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
		die("SO_SNDBUF");
	if (connect(*client, (const struct sockaddr *)addr, sizeof(*addr)))
		die("connect to 127.0.0.1:%d", ntohs(addr->sin_port));
	*server = accept(lfd, NULL, NULL);
	if (*server < 0)
		die("accept");
}

/* The byte at offset off of the -m transfer. */
static unsigned char pattern(unsigned long long off)
{
	return (unsigned char)(off % 251);
}

/*
 * Write up to want[i] bytes into each of fds[0..n); done[i] counts what was
 * taken.  Stops when all is written, when nothing moved for idle_ms, or at
 * the deadline.  With pat, writes pattern() in chunks of at most chunk.
 */
static void write_all(const int *fds, int n, const unsigned long long *want,
		      unsigned long long *done, size_t chunk, int pat,
		      long long idle_ms, long long deadline)
{
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	long long last = now_ms();
	int i, pending;

	if (!pfd)
		die("calloc");
	for (;;) {
		int moved = 0;

		pending = 0;
		for (i = 0; i < n; i++) {
			unsigned long long left = want[i] - done[i];
			size_t len = left < chunk ? left : chunk;
			ssize_t w;
			size_t k;

			if (!left)
				continue;
			if (pat)
				for (k = 0; k < len; k++)
					buf[k] = pattern(done[i] + k);
			w = write(fds[i], buf, len);
			if (w > 0) {
				done[i] += w;
				moved = 1;
			} else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
				die("write");
			}
			if (done[i] < want[i]) {
				pfd[pending].fd = fds[i];
				pfd[pending].events = POLLOUT;
				pending++;
			}
		}
		if (!pending || now_ms() >= deadline)
			break;
		if (moved) {
			last = now_ms();
			continue;
		}
		if (now_ms() - last >= idle_ms)
			break;
		poll(pfd, pending, 100);
	}
	free(pfd);
}

/* Read and check up to want bytes of the -m transfer. */
static unsigned long long read_check(int fd, unsigned long long want,
				     long long deadline)
{
	unsigned long long got = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (got < want && now_ms() < deadline) {
		ssize_t r = read(fd, buf, sizeof(buf));
		ssize_t k;

		if (r == 0)
			break;
		if (r < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				die("read");
			poll(&pfd, 1, 100);
			continue;
		}
		for (k = 0; k < r; k++)
			if (buf[k] != pattern(got + k)) {
				errno = 0;
				die("data differs at byte %llu", got + k);
			}
		got += r;
	}
	return got;
}

static void netvm_mark(const char *dir, const char *file, int fd)
{
	char path[512], num[32];
	int cfd, len;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	len = snprintf(num, sizeof(num), "%d", fd);
	cfd = open(path, O_WRONLY);
	if (cfd < 0)
		die("open %s (netvm loaded, debugfs mounted, root?)", path);
	if (write(cfd, num, len) != len)
		die("write %s", path);
	close(cfd);
}

static int memalloc_transfer(unsigned long long bytes, int wait_s,
			     const char *dir)
{
	int bufsize = bytes > (1 << 28) ? 1 << 30 : (int)bytes * 4;
	unsigned long long sent = 0, got;
	struct sockaddr_in addr;
	int lfd, c, s, one = 1;
	long long t0, ms;

	if (bufsize < 65536)
		bufsize = 65536;
	/* Room in both socket buffers: only the global limits may refuse. */
	lfd = listen_loopback(1, bufsize, &addr);
	connect_pair(lfd, &addr, bufsize, &c, &s);
	close(lfd);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_nonblock(c);
	set_nonblock(s);
	netvm_mark(dir, "sk_protect", s);
	netvm_mark(dir, "sk_protect", c);

	/* Small writes: many skbs, so that the receive queue is not empty. */
	t0 = now_ms();
	write_all(&c, 1, &bytes, &sent, 4096, 1, wait_s * 1000LL,
		  t0 + wait_s * 1000LL);
	ms = now_ms() - t0;
	printf("memalloc_requested_bytes %llu\n", bytes);
	printf("memalloc_sent_bytes %llu\n", sent);
	printf("memalloc_send_ms %lld\n", ms);
	fflush(stdout);

	/* Unmarked while data is queued: netvm warns once, then reads go on. */
	netvm_mark(dir, "sk_unprotect", s);
	netvm_mark(dir, "sk_unprotect", c);
	got = read_check(s, sent, now_ms() + wait_s * 1000LL);
	printf("memalloc_received_bytes %llu\n", got);
	printf("memalloc_result %s\n",
	       sent == bytes && got == sent ? "complete" : "stalled");
	fflush(stdout);
	close(c);
	close(s);
	return sent == bytes && got == sent ? 0 : 2;
}

/* -r: keep data moving on every connection until the deadline. */
static void traffic(const int *cfd, const int *sfd, int n, long long deadline)
{
	struct pollfd *pfd = calloc(2 * n, sizeof(*pfd));
	unsigned long long moved = 0;
	int i;

	if (!pfd)
		die("calloc");
	for (i = 0; i < n; i++) {
		set_nonblock(sfd[i]);
		pfd[2 * i].fd = cfd[i];
		pfd[2 * i].events = POLLOUT;
		pfd[2 * i + 1].fd = sfd[i];
		pfd[2 * i + 1].events = POLLIN;
	}
	while (deadline < 0 || now_ms() < deadline) {
		if (poll(pfd, 2 * n, 100) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < 2 * n; i++) {
			ssize_t r;

			if (!(pfd[i].revents & (POLLIN | POLLOUT)))
				continue;
			if (i % 2 == 0) {
				r = write(pfd[i].fd, buf, sizeof(buf));
			} else {
				r = read(pfd[i].fd, buf, sizeof(buf));
				if (r > 0)
					moved += r;
			}
			if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				die(i % 2 ? "read" : "write");
		}
	}
	printf("traffic_bytes %llu\n", moved);
	free(pfd);
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: tcpfill [-n CONNS] [-b BYTES] [-t SECONDS] [-r | -x]\n"
		"               [-m BYTES [-w SECONDS] [-d DIR]]\n");
	exit(1);
}

int main(int argc, char **argv)
{
	unsigned long long bytes = 320 << 10, memalloc = 0, total = 0;
	unsigned long long *want, *done;
	const char *dir = "/sys/kernel/debug/netvm";
	int n = 64, hold = -1, wait_s = 10, rx = 0, abort_tx = 0, ret = 0;
	struct sockaddr_in addr;
	int *cfd, *sfd;
	int opt, i, lfd;

	while ((opt = getopt(argc, argv, "n:b:t:rxm:w:d:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'b':
			bytes = parse_size(optarg);
			break;
		case 't':
			hold = atoi(optarg);
			break;
		case 'r':
			rx = 1;
			break;
		case 'x':
			abort_tx = 1;
			break;
		case 'm':
			memalloc = parse_size(optarg);
			break;
		case 'w':
			wait_s = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc || n < 1 || n > 4096 || wait_s < 1 ||
	    (rx && abort_tx))
		print_usage();
	signal(SIGPIPE, SIG_IGN);

	cfd = calloc(n, sizeof(*cfd));
	sfd = calloc(n, sizeof(*sfd));
	want = calloc(n, sizeof(*want));
	done = calloc(n, sizeof(*done));
	if (!cfd || !sfd || !want || !done)
		die("calloc");
	lfd = listen_loopback(n, 0, &addr);
	for (i = 0; i < n; i++) {
		connect_pair(lfd, &addr, 0, &cfd[i], &sfd[i]);
		set_nonblock(cfd[i]);
		want[i] = bytes;
	}
	close(lfd);
	write_all(cfd, n, want, done, CHUNK, 0, FILL_IDLE_MS,
		  now_ms() + FILL_MAX_MS);
	for (i = 0; i < n; i++)
		total += done[i];
	if (abort_tx) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		for (i = 0; i < n; i++) {
			if (setsockopt(cfd[i], SOL_SOCKET, SO_LINGER, &lg,
				       sizeof(lg)))
				die("setsockopt(SO_LINGER)");
			close(cfd[i]);
		}
	}
	printf("fill_connections %d\n", n);
	printf("fill_requested_bytes %llu\n", bytes * n);
	printf("fill_queued_bytes %llu\n", total);
	fflush(stdout);

	if (memalloc)
		ret = memalloc_transfer(memalloc, wait_s, dir);

	if (rx)
		traffic(cfd, sfd, n, hold < 0 ? -1 : now_ms() + hold * 1000LL);
	else if (hold < 0)
		for (;;)
			pause();
	else if (hold > 0)
		sleep(hold);
	return ret;
}
