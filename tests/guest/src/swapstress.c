// SPDX-License-Identifier: GPL-2.0
/*
 * swapstress: a swap data-integrity workload.
 *
 * Forks P processes; each maps M MiB of anonymous memory and, for K passes,
 * writes a pattern to every page, then reads every page back and checks it.
 * The pattern of a page is a 64-bit hash of (seed, process, page, pass),
 * varied per word, so a lost write (data of the previous pass), a page read
 * from the wrong slot (another page's data), a zero page or a torn page are
 * all caught.  With a working set larger than RAM, every pass goes through
 * swap.
 *
 * usage: swapstress [-p procs] [-m MiB-per-proc] [-k passes] [-r] [-S seed] [-q] [-T]
 *                   [-W path]
 * Last line:  swapstress: procs=2 mib=256 passes=2 pages=131072 corrupt=0
 *             seconds=41.2 checked=262144 failed_procs=0 seed=...
 * (pages: pages in the working set; checked: page verifications.)
 * Exit status: 0 all pages intact, 1 corruption or a process failed,
 * 2 usage error.
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
#include <sys/wait.h>

#define MAX_PROCS 64
#define MAX_BAD 8		/* corrupt pages described per process */
#define GOLDEN 0x9e3779b97f4a7c15ULL

struct bad_page {
	uint64_t page;
	uint32_t pass;
	uint32_t word;
	uint64_t want, got;
	char kind[48];
};

/* Per-process results, in memory shared with the parent. */
struct result {
	uint64_t checked;
	uint64_t corrupt;
	uint32_t nbad;
	int finished;
	char error[128];
	struct bad_page bad[MAX_BAD];
};

static unsigned long procs = 2, mib = 64, passes = 2;
static int random_order, quiet, inject;
static uint64_t seed;
static const char *wait_path;
static size_t pagesz;

static uint64_t mix64(uint64_t x)
{
	x += GOLDEN;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t page_hash(unsigned int proc, uint64_t page, uint32_t pass)
{
	return mix64(seed ^ mix64(((uint64_t)proc << 48) ^ ((uint64_t)pass << 32) ^ page));
}

static inline uint64_t word_value(uint64_t h, size_t j)
{
	return h ^ (j * GOLDEN);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * The order pages are visited in: sequential, or (with -r) a permutation
 * i -> (i * step + start) mod n with step coprime to n, different for every
 * pass and phase.  Needs no memory of its own.
 */
struct order {
	uint64_t n, step, start;
};

static void order_init(struct order *o, uint64_t n, unsigned int proc, uint32_t pass,
		       int phase)
{
	o->n = n;
	o->step = 1;
	o->start = 0;
	if (!random_order || n < 2)
		return;
	uint64_t r = mix64(seed ^ ((uint64_t)proc << 40) ^ ((uint64_t)pass << 8) ^ phase);

	o->start = r % n;
	o->step = (mix64(r) % n) | 1;
	while (gcd(o->step, n) != 1)
		o->step = (o->step + 2) % n ? (o->step + 2) % n : 1;
}

static inline uint64_t order_at(const struct order *o, uint64_t i)
{
	return (uint64_t)(((unsigned __int128)i * o->step + o->start) % o->n);
}

/* What a corrupt page holds instead, as far as we can tell. */
static void classify(struct bad_page *b, const uint64_t *w, unsigned int proc,
		     uint64_t npages)
{
	size_t words = pagesz / sizeof(uint64_t), j;
	uint64_t p;

	for (j = 0; j < words && !w[j]; j++)
		;
	if (j == words) {
		snprintf(b->kind, sizeof(b->kind), "zero page");
		return;
	}
	if (b->pass > 0 && w[0] == page_hash(proc, b->page, b->pass - 1)) {
		snprintf(b->kind, sizeof(b->kind), "stale (pass %u)", b->pass - 1);
		return;
	}
	/* Another page of this process?  Look nearby only: it is cheap. */
	for (p = b->page > 64 ? b->page - 64 : 0; p < npages && p < b->page + 64; p++) {
		if (p != b->page && w[0] == page_hash(proc, p, b->pass)) {
			snprintf(b->kind, sizeof(b->kind), "page %" PRIu64 "'s data", p);
			return;
		}
	}
	if (w[0] == page_hash(proc, b->page, b->pass))
		snprintf(b->kind, sizeof(b->kind), "torn page");
	else
		snprintf(b->kind, sizeof(b->kind), "unknown data");
}

static void child(unsigned int proc, struct result *res)
{
	size_t words = pagesz / sizeof(uint64_t), j;
	uint64_t npages = ((uint64_t)mib << 20) / pagesz, i;
	struct order o;
	uint32_t pass;
	char *mem;

	mem = mmap(NULL, (size_t)mib << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(res->error, sizeof(res->error), "mmap %lu MiB: %s", mib,
			 strerror(errno));
		_exit(1);
	}
	for (pass = 0; pass < passes; pass++) {
		double t0 = now(), tw, t1;

		order_init(&o, npages, proc, pass, 0);
		for (i = 0; i < npages; i++) {
			uint64_t page = order_at(&o, i);
			uint64_t *w = (uint64_t *)(mem + page * pagesz);
			uint64_t h = page_hash(proc, page, pass);

			for (j = 0; j < words; j++)
				w[j] = word_value(h, j);
		}
		if (inject && pass > 0 && npages >= 8) {
			/* Self-test (-T): the faults swap could make, one of each. */
			uint64_t *w;

			memset(mem + 1 * pagesz, 0, pagesz);		/* lost page */
			w = (uint64_t *)(mem + 2 * pagesz);		/* lost write */
			for (j = 0; j < words; j++)
				w[j] = word_value(page_hash(proc, 2, pass - 1), j);
			memcpy(mem + 3 * pagesz, mem + 4 * pagesz, pagesz); /* wrong slot */
			((uint64_t *)(mem + 5 * pagesz))[words - 1] ^= 1; /* torn */
		}
		tw = now();
		if (wait_path && pass == passes - 1) {
			/* -W: hold the data until told to check it (e.g. after swapoff). */
			dprintf(1, "swapstress: proc %u waiting for %s\n", proc, wait_path);
			while (access(wait_path, F_OK))
				usleep(100000);
		}
		t1 = now();
		order_init(&o, npages, proc, pass, 1);
		for (i = 0; i < npages; i++) {
			uint64_t page = order_at(&o, i);
			const uint64_t *w = (const uint64_t *)(mem + page * pagesz);
			uint64_t h = page_hash(proc, page, pass);

			for (j = 0; j < words; j++)
				if (w[j] != word_value(h, j))
					break;
			res->checked++;
			if (j == words)
				continue;
			res->corrupt++;
			if (res->nbad < MAX_BAD) {
				struct bad_page *b = &res->bad[res->nbad++];

				b->page = page;
				b->pass = pass;
				b->word = (uint32_t)j;
				b->want = word_value(h, j);
				b->got = w[j];
				classify(b, w, proc, npages);
			}
		}
		if (!quiet)
			dprintf(1, "swapstress: proc %u pass %u: wrote %" PRIu64
				" pages in %.1f s, verified in %.1f s, corrupt so far %" PRIu64 "\n",
				proc, pass, npages, tw - t0, now() - t1, res->corrupt);
	}
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
		"usage: swapstress [-p procs] [-m MiB-per-proc] [-k passes] [-r] [-S seed] [-q]\n"
		"                  [-T] [-W file]\n"
		"  -p N   processes (1..%d, default 2)\n"
		"  -m N   MiB of anonymous memory per process (default 64)\n"
		"  -k N   passes: write every page, then verify every page (default 2)\n"
		"  -r     visit pages in a scattered order instead of sequentially\n"
		"  -S N   seed of the patterns (default: from the clock)\n"
		"  -q     no per-pass progress lines\n"
		"  -W F   in the last pass, between writing and verifying, print\n"
		"         \"waiting for F\" and wait until the file F exists\n"
		"  -T     self-test: corrupt 4 pages per process in passes after the first;\n"
		"         the checker must find them (exit 1, 4*(k-1)*p corrupt pages)\n",
		MAX_PROCS);
}

int main(int argc, char **argv)
{
	unsigned long procs_failed = 0, s;
	uint64_t corrupt = 0, checked = 0;
	struct result *res;
	pid_t pids[MAX_PROCS];
	double t0;
	unsigned int i;
	int opt, have_seed = 0;

	while ((opt = getopt(argc, argv, "p:m:k:rS:qTW:h")) != -1) {
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
			random_order = 1;
			break;
		case 'S':
			if (parse_ul(optarg, 0, ULONG_MAX, &s))
				goto bad;
			seed = s;
			have_seed = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'T':
			inject = 1;
			break;
		case 'W':
			wait_path = optarg;
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
		fprintf(stderr, "swapstress: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	pagesz = (size_t)sysconf(_SC_PAGESIZE);
	if (!have_seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

	res = mmap(NULL, sizeof(*res) * procs, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		perror("swapstress: mmap");
		return 1;
	}
	memset(res, 0, sizeof(*res) * procs);
	printf("swapstress: %lu procs x %lu MiB, %lu passes, %s order, seed %" PRIu64 "\n",
	       procs, mib, passes, random_order ? "scattered" : "sequential", seed);
	fflush(stdout);

	t0 = now();
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("swapstress: fork");
			while (i--)
				kill(pids[i], SIGKILL);
			return 1;
		}
		if (pids[i] == 0)
			child(i, &res[i]);
	}
	for (i = 0; i < procs; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR) {
				perror("swapstress: waitpid");
				return 1;
			}
		}
		if (WIFSIGNALED(status)) {
			printf("swapstress: proc %u killed by signal %d (%s)%s\n", i,
			       WTERMSIG(status), strsignal(WTERMSIG(status)),
			       WTERMSIG(status) == SIGKILL ? ", OOM killer?" : "");
			procs_failed++;
		} else if (!res[i].finished) {
			printf("swapstress: proc %u failed (exit %d): %s\n", i,
			       WEXITSTATUS(status), res[i].error[0] ? res[i].error : "?");
			procs_failed++;
		}
	}
	for (i = 0; i < procs; i++) {
		uint32_t b;

		checked += res[i].checked;
		corrupt += res[i].corrupt;
		for (b = 0; b < res[i].nbad; b++) {
			const struct bad_page *p = &res[i].bad[b];

			printf("swapstress: CORRUPT proc %u pass %u page %" PRIu64
			       " (offset 0x%" PRIx64 ") word %u: want %016" PRIx64
			       " got %016" PRIx64 ": %s\n", i, p->pass, p->page,
			       p->page * pagesz, p->word, p->want, p->got, p->kind);
		}
		if (res[i].corrupt > res[i].nbad)
			printf("swapstress: proc %u: %" PRIu64 " more corrupt pages\n", i,
			       res[i].corrupt - res[i].nbad);
	}
	printf("swapstress: procs=%lu mib=%lu passes=%lu pages=%" PRIu64 " corrupt=%" PRIu64
	       " seconds=%.1f checked=%" PRIu64 " failed_procs=%lu seed=%" PRIu64 "\n",
	       procs, mib, passes, (uint64_t)procs * (((uint64_t)mib << 20) / pagesz), corrupt,
	       now() - t0, checked, procs_failed, seed);
	return corrupt || procs_failed ? 1 : 0;
bad:
	fprintf(stderr, "swapstress: bad value '%s' for -%c\n", optarg, opt);
	usage(stderr);
	return 2;
}
