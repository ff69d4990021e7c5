// SPDX-License-Identifier: GPL-2.0
/*
 * memmark: fill anonymous memory with a known text, hold it, check it.
 *
 * usage: memmark MIB TEXT WAITFILE
 * Maps MIB MiB, writes TEXT over and over into every page, prints
 * "memmark: filled N pages", then waits until WAITFILE exists (meanwhile
 * the memory can be swapped out and the swap's backing store searched for
 * TEXT), and checks every page.  Last line: "memmark: pages=N corrupt=K".
 * Exit status: 0 all pages intact, 1 corruption or failure, 2 usage.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

/* Page @p's content: TEXT repeated from the start of the page. */
static void fill_page(char *p, size_t pagesz, const char *text, size_t len)
{
	size_t off;

	for (off = 0; off < pagesz; off += len)
		memcpy(p + off, text, off + len <= pagesz ? len : pagesz - off);
}

int main(int argc, char **argv)
{
	size_t pagesz = (size_t)sysconf(_SC_PAGESIZE), len, npages, i;
	unsigned long mib, corrupt = 0;
	char *mem, *want, *end;

	if (argc != 4)
		goto usage;
	mib = strtoul(argv[1], &end, 10);
	len = strlen(argv[2]);
	if (*end || !mib || mib > 4096 || !len || len > pagesz)
		goto usage;
	npages = mib * 1024 * 1024 / pagesz;
	mem = mmap(NULL, npages * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(pagesz);
	if (mem == MAP_FAILED || !want) {
		perror("memmark: mmap");
		return 1;
	}
	fill_page(want, pagesz, argv[2], len);
	for (i = 0; i < npages; i++)
		memcpy(mem + i * pagesz, want, pagesz);
	printf("memmark: filled %zu pages\n", npages);
	fflush(stdout);
	while (access(argv[3], F_OK))
		usleep(100000);
	for (i = 0; i < npages; i++)
		if (memcmp(mem + i * pagesz, want, pagesz))
			corrupt++;
	printf("memmark: pages=%zu corrupt=%lu\n", npages, corrupt);
	return corrupt ? 1 : 0;
usage:
	fprintf(stderr, "usage: memmark MIB TEXT WAITFILE (MIB 1..4096, TEXT 1..page size bytes)\n");
	return 2;
}
