// SPDX-License-Identifier: GPL-2.0
/*
 * benchload: the swap benchmark's workloads (tests/bench/).
 *
 * Forks P processes; each maps M MiB of anonymous memory and then either
 *  - (default, "seq") for K passes writes a pattern to every page in order,
 *    then reads every page back in order and checks it; or
 *  - (-r OPS, "random") writes every page once, then does OPS random page
 *    accesses, half of them checks of the page's current contents and half
 *    rewrites with a new version, and at the end checks every page.
 * Every page is verified: a page's pattern depends on (seed, process, page,
 * version), so lost writes, pages from the wrong slot, zero pages and torn
 * pages are all caught.  The pattern is made of a 64-byte block repeated
 * with a per-block word, so zram can compress it (about 4:1) while every
 * word is still checked.
 *
 * -t SECONDS caps the run: when it expires every process is killed and the
 * run reports status=timeout.
 *
 * usage: benchload [-p procs] [-m MiB-per-proc] [-k passes] [-r ops] [-S seed]
 *                  [-t seconds] [-T]
 * Last line:  benchload: status=ok procs=1 mib=400 pages=102400 checked=204800
 *             corrupt=0 seconds=41.23 failed_procs=0 seed=...
 * Exit status: 0 ok, 1 corruption or a process failed, 2 usage, 3 timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define MAX_PROCS 16
#define GOLDEN 0x9e3779b97f4a7c15ULL

struct result {
	uint64_t checked;
	uint64_t corrupt;
	uint64_t first_bad;
	int finished;
	char error[128];
};

static unsigned long procs = 1, mib = 64, passes = 2, ops, cap;
static int inject;
static uint64_t seed;
static size_t pagesz;
static volatile sig_atomic_t expired;

static uint64_t mix64(uint64_t x)
{
	x += GOLDEN;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t page_hash(unsigned int proc, uint64_t page, uint32_t version)
{
	return mix64(seed ^ mix64(((uint64_t)proc << 48) ^ ((uint64_t)version << 32) ^ page));
}

/* Word j of a page whose hash is h: 8-word blocks, the first word per block. */
static inline uint64_t word_value(uint64_t h, size_t j)
{
	return (j & 7) ? h ^ ((j & 7) * GOLDEN) : h ^ j;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(uint64_t *w, uint64_t h)
{
	size_t words = pagesz / sizeof(uint64_t), j;

	for (j = 0; j < words; j++)
		w[j] = word_value(h, j);
}

static void check(const uint64_t *w, uint64_t h, uint64_t page, struct result *res)
{
	size_t words = pagesz / sizeof(uint64_t), j;

	res->checked++;
	for (j = 0; j < words; j++) {
		if (w[j] != word_value(h, j)) {
			if (!res->corrupt)
				res->first_bad = page;
			res->corrupt++;
			return;
		}
	}
}

/* xorshift64*: the random workload's page and operation choices. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void child(unsigned int proc, struct result *res)
{
	uint64_t npages = ((uint64_t)mib << 20) / pagesz, i, n;
	uint8_t *version = NULL;
	char *mem;
	uint32_t pass;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	mem = mmap(NULL, (size_t)mib << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(res->error, sizeof(res->error), "mmap %lu MiB: %s", mib,
			 strerror(errno));
		_exit(1);
	}
#define PAGE(p) ((uint64_t *)(mem + (p) * pagesz))
	if (!ops) {
		for (pass = 0; pass < passes; pass++) {
			for (i = 0; i < npages; i++)
				fill(PAGE(i), page_hash(proc, i, pass));
			if (inject && npages >= 4) {
				/* Self-test (-T): a lost page and a torn page. */
				memset(PAGE(1), 0, pagesz);
				PAGE(3)[pagesz / sizeof(uint64_t) - 1] ^= 1;
			}
			for (i = 0; i < npages; i++)
				check(PAGE(i), page_hash(proc, i, pass), i, res);
		}
	} else {
		uint64_t s = mix64(seed ^ proc) | 1;

		version = calloc(npages, 1);
		if (!version) {
			snprintf(res->error, sizeof(res->error), "no memory for versions");
			_exit(1);
		}
		for (i = 0; i < npages; i++)
			fill(PAGE(i), page_hash(proc, i, 0));
		for (n = 0; n < ops; n++) {
			uint64_t r = rnd(&s), p = (r >> 1) % npages;

			if (r & 1) {
				version[p]++;
				fill(PAGE(p), page_hash(proc, p, version[p]));
			} else {
				check(PAGE(p), page_hash(proc, p, version[p]), p, res);
			}
		}
		if (inject && npages >= 4) {
			memset(PAGE(1), 0, pagesz);
			PAGE(3)[pagesz / sizeof(uint64_t) - 1] ^= 1;
		}
		for (i = 0; i < npages; i++)
			check(PAGE(i), page_hash(proc, i, version[i]), i, res);
		free(version);
	}
#undef PAGE
	munmap(mem, (size_t)mib << 20);
	res->finished = 1;
	_exit(res->corrupt ? 1 : 0);
}

static int parse_ul(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: benchload [-p procs] [-m MiB-per-proc] [-k passes] [-r ops] [-S seed]\n"
		"                 [-t seconds] [-T]\n"
		"  -p N   processes, all at once (1..%d, default 1)\n"
		"  -m N   MiB of anonymous memory per process (default 64)\n"
		"  -k N   sequential passes: write every page, then check every page (default 2)\n"
		"  -r N   random workload instead: fill, N random page checks/rewrites, check all\n"
		"  -S N   seed of the patterns (default: from the clock)\n"
		"  -t N   time cap in seconds: kill the processes and report a timeout\n"
		"  -T     self-test: corrupt 2 pages per process; the checker must find them\n",
		MAX_PROCS);
}

static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

int main(int argc, char **argv)
{
	unsigned long failed = 0, s;
	uint64_t corrupt = 0, checked = 0;
	struct result *res;
	pid_t pids[MAX_PROCS];
	struct sigaction sa;
	const char *status;
	unsigned int i, left;
	double t0, secs;
	int opt, have_seed = 0;

	while ((opt = getopt(argc, argv, "p:m:k:r:S:t:Th")) != -1) {
		switch (opt) {
		case 'p':
			if (parse_ul(optarg, 1, MAX_PROCS, &procs))
				goto bad;
			break;
		case 'm':
			if (parse_ul(optarg, 1, 1UL << 20, &mib))
				goto bad;
			break;
		case 'k':
			if (parse_ul(optarg, 1, 1000000, &passes))
				goto bad;
			break;
		case 'r':
			if (parse_ul(optarg, 1, ULONG_MAX, &ops))
				goto bad;
			break;
		case 'S':
			if (parse_ul(optarg, 0, ULONG_MAX, &s))
				goto bad;
			seed = s;
			have_seed = 1;
			break;
		case 't':
			if (parse_ul(optarg, 1, 1000000, &cap))
				goto bad;
			break;
		case 'T':
			inject = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "benchload: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	pagesz = (size_t)sysconf(_SC_PAGESIZE);
	if (!have_seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

	res = mmap(NULL, sizeof(*res) * procs, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		perror("benchload: mmap");
		return 1;
	}
	memset(res, 0, sizeof(*res) * procs);
	printf("benchload: %lu procs x %lu MiB, %s, seed %" PRIu64 "\n", procs, mib,
	       ops ? "random" : "sequential", seed);
	fflush(stdout);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: waitpid returns EINTR */
	t0 = now();
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("benchload: fork");
			while (i--)
				kill(pids[i], SIGKILL);
			return 1;
		}
		if (pids[i] == 0)
			child(i, &res[i]);
	}
	if (cap)
		alarm(cap);
	left = procs;
	while (left) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0) {
			if (errno != EINTR) {
				perror("benchload: waitpid");
				return 1;
			}
			if (expired) {
				for (i = 0; i < procs; i++)
					kill(pids[i], SIGKILL);
				expired = 2;
			}
			continue;
		}
		left--;
		for (i = 0; i < procs && pids[i] != pid; i++)
			;
		if (i == procs || expired)
			continue;
		if (WIFSIGNALED(st)) {
			printf("benchload: proc %u killed by signal %d%s\n", i, WTERMSIG(st),
			       WTERMSIG(st) == SIGKILL ? " (OOM killer?)" : "");
			failed++;
		} else if (!res[i].finished) {
			printf("benchload: proc %u failed: %s\n", i,
			       res[i].error[0] ? res[i].error : "?");
			failed++;
		}
	}
	alarm(0);
	secs = now() - t0;
	for (i = 0; i < procs; i++) {
		checked += res[i].checked;
		corrupt += res[i].corrupt;
		if (res[i].corrupt)
			printf("benchload: proc %u: %" PRIu64 " corrupt pages, first page %" PRIu64
			       "\n", i, res[i].corrupt, res[i].first_bad);
	}
	if (corrupt)
		status = "corrupt";
	else if (expired)
		status = "timeout";
	else if (failed)
		status = "error";
	else
		status = "ok";
	printf("benchload: status=%s procs=%lu mib=%lu pages=%" PRIu64 " checked=%" PRIu64
	       " corrupt=%" PRIu64 " seconds=%.2f failed_procs=%lu seed=%" PRIu64 "\n",
	       status, procs, mib, (uint64_t)procs * (((uint64_t)mib << 20) / pagesz),
	       checked, corrupt, secs, failed, seed);
	if (corrupt || failed)
		return 1;
	return expired ? 3 : 0;
bad:
	fprintf(stderr, "benchload: bad value '%s' for -%c\n", optarg, opt);
	usage(stderr);
	return 2;
}
