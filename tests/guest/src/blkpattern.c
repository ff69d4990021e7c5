// SPDX-License-Identifier: GPL-2.0
/*
 * blkpattern: write and check tagged pages on a block device with O_DIRECT,
 * so that every read and write reaches the driver as the test asks.
 *
 * usage: blkpattern write|check DEV OFFSET_KIB LENGTH_KIB TAG [BLOCK_KIB]
 *        blkpattern scatter DEV COUNT STRIDE_KIB
 *   write    fill [OFFSET, OFFSET + LENGTH) with pages tagged TAG, BLOCK KiB
 *            per write (default 64)
 *   check    read that range in order, BLOCK KiB per read (default 32), and
 *            check that every page holds TAG and its own offset; prints
 *            each wrong page, exits 1 if any
 *   scatter  COUNT one-page reads, from the end of the device backwards,
 *            STRIDE KiB apart (no read continues another)
 * A page's words are (TAG, byte offset of the page, word index), so a page
 * from another place or version of the range is caught.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>

#define PAGE 4096u

static void die(const char *what)
{
	fprintf(stderr, "blkpattern: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint64_t arg_u64(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "blkpattern: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void fill(uint64_t *w, uint64_t tag, uint64_t off)
{
	unsigned int i;

	for (i = 0; i < PAGE / 8; i += 4) {
		w[i] = tag;
		w[i + 1] = off;
		w[i + 2] = i;
		w[i + 3] = ~tag ^ off;
	}
}

static int check_page(const uint64_t *w, uint64_t tag, uint64_t off)
{
	static uint64_t want[PAGE / 8];

	fill(want, tag, off);
	if (!memcmp(w, want, PAGE))
		return 0;
	printf("page at %" PRIu64 " KiB: tag %" PRIu64 " offset %" PRIu64
	       " KiB, want tag %" PRIu64 "\n", off >> 10, w[0], w[1] >> 10, tag);
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t off, len, tag, block, pos, size;
	unsigned int bad = 0;
	void *buf;
	int fd;

	if (argc < 5) {
		fprintf(stderr, "usage: blkpattern write|check DEV OFFSET_KIB LENGTH_KIB TAG [BLOCK_KIB]\n"
			"       blkpattern scatter DEV COUNT STRIDE_KIB\n");
		return 2;
	}
	fd = open(argv[2], (strcmp(argv[1], "write") ? O_RDONLY : O_WRONLY) | O_DIRECT);
	if (fd < 0)
		die(argv[2]);
	if (posix_memalign(&buf, PAGE, 1 << 20))
		die("memory");

	if (!strcmp(argv[1], "scatter")) {
		uint64_t count = arg_u64(argv[3], "count");
		uint64_t stride = arg_u64(argv[4], "stride") << 10;

		if (ioctl(fd, BLKGETSIZE64, &size))
			die("BLKGETSIZE64");
		for (pos = size - PAGE; count--; pos -= stride) {
			if (pread(fd, buf, PAGE, pos) != PAGE)
				die("read");
			if (pos < stride)
				break;
		}
		return 0;
	}
	if (argc < 6) {
		fprintf(stderr, "blkpattern: %s needs a TAG\n", argv[1]);
		return 2;
	}
	off = arg_u64(argv[3], "offset") << 10;
	len = arg_u64(argv[4], "length") << 10;
	tag = arg_u64(argv[5], "tag");
	block = (argc > 6 ? arg_u64(argv[6], "block") :
		 !strcmp(argv[1], "write") ? 64 : 32) << 10;
	if (!block || block > 1 << 20 || block % PAGE || off % PAGE || len % PAGE) {
		fprintf(stderr, "blkpattern: sizes must be whole pages, blocks up to 1 MiB\n");
		return 2;
	}
	for (pos = off; pos < off + len; pos += block) {
		uint64_t n = off + len - pos < block ? off + len - pos : block;
		uint64_t p;

		if (!strcmp(argv[1], "write")) {
			for (p = 0; p < n; p += PAGE)
				fill((uint64_t *)((char *)buf + p), tag, pos + p);
			if (pwrite(fd, buf, n, pos) != (ssize_t)n)
				die("write");
		} else if (!strcmp(argv[1], "check")) {
			if (pread(fd, buf, n, pos) != (ssize_t)n)
				die("read");
			for (p = 0; p < n; p += PAGE)
				bad += check_page((uint64_t *)((char *)buf + p), tag,
						  pos + p);
		} else {
			fprintf(stderr, "blkpattern: unknown operation %s\n", argv[1]);
			return 2;
		}
	}
	if (bad)
		printf("blkpattern: %u wrong pages\n", bad);
	return bad ? 1 : 0;
}
