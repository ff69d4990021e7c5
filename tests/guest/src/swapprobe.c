// SPDX-License-Identifier: GPL-2.0
/*
 * swapprobe: issue one raw operation for the swap test cases and report
 * its errno by name, bypassing nfsswapctl's own checks.
 *
 * usage: swapprobe [-u UID] [-e EXPECT] OP ARGS
 *   attach [-o rdwr|rdonly|wronly|path|dir|badfd] [-F] FILE
 *                          NFSSWAP_IOC_ATTACH on FILE opened that way
 *                          (-F: non-zero flags); prints "ok N" or the errno
 *   detach N               NFSSWAP_IOC_DETACH
 *   write FILE             open O_WRONLY, pwrite one page at offset 0
 *   dwrite FILE            the same with O_DIRECT
 *   truncate FILE          truncate(2) to the size less one page
 *   ftruncate FILE         ftruncate(2) to the size less one page
 *   swapon FILE            swapon(2)
 *   swapoff FILE           swapoff(2)
 *   rmmod NAME             delete_module(2), O_NONBLOCK
 *   run CMD ARGS           exec CMD (with -u: as that user)
 * -u UID: files and the control device are opened as root, then uid and gid
 *         become UID (all groups dropped), then the operation is issued.
 * -e EXPECT: "ok" or errno names separated by commas; exit 0 iff the result
 *         is one of them.  Without -e, exit 0 iff the operation succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>

/* Kept in step with include/uapi/nfsswap.h (this file is built alone). */
#define NFSSWAP_IOC_MAGIC 0xE7
struct nfsswap_attach {
	__s32 fd;
	__u32 flags;
	__u32 index;
	__u32 pad;
	__u64 reserved[4];
};
#define NFSSWAP_IOC_ATTACH _IOWR(NFSSWAP_IOC_MAGIC, 1, struct nfsswap_attach)
#define NFSSWAP_IOC_DETACH _IO(NFSSWAP_IOC_MAGIC, 2)
#define CONTROL "/dev/nfsswap-control"

static const struct {
	const char *name;
	int value;
} errnames[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR }, { "EIO", EIO },
	{ "ENXIO", ENXIO }, { "E2BIG", E2BIG }, { "EBADF", EBADF }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
	{ "ENOTBLK", ENOTBLK }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
	{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
	{ "ENOTTY", ENOTTY }, { "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC }, { "ESPIPE", ESPIPE }, { "EROFS", EROFS },
	{ "ERANGE", ERANGE }, { "ENODATA", ENODATA }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ESTALE", ESTALE }, { "EDOM", EDOM }, { "ENOSYS", ENOSYS },
};

static const char *errname(int e)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].value == e)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E#%d", e);
	return buf;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: swapprobe [-u UID] [-e EXPECT] OP ARGS\n"
		"  OP: attach [-o rdwr|rdonly|wronly|path|dir|badfd] [-F] FILE | detach N |\n"
		"      write FILE | dwrite FILE | truncate FILE | ftruncate FILE |\n"
		"      swapon FILE | swapoff FILE | rmmod NAME | run CMD ARGS\n");
	exit(2);
}

static void drop_to(long uid)
{
	if (uid < 0)
		return;
	if (setgroups(0, NULL) || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) ||
	    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid)) {
		perror("swapprobe: cannot drop privileges");
		exit(3);
	}
}

static int open_mode(const char *mode, const char *file)
{
	int flags;

	if (!strcmp(mode, "rdwr"))
		flags = O_RDWR;
	else if (!strcmp(mode, "rdonly"))
		flags = O_RDONLY;
	else if (!strcmp(mode, "wronly"))
		flags = O_WRONLY;
	else if (!strcmp(mode, "path"))
		flags = O_PATH;
	else if (!strcmp(mode, "dir"))
		flags = O_RDONLY | O_DIRECTORY;
	else if (!strcmp(mode, "badfd"))
		return 1000;
	else
		usage();
	return open(file, flags | O_CLOEXEC);
}

static int page_op(const char *op, const char *file)
{
	long pagesz = sysconf(_SC_PAGESIZE);
	struct stat st;
	void *buf;
	int fd, ret;

	if (!strcmp(op, "truncate")) {
		if (stat(file, &st))
			return -1;
		return truncate(file, st.st_size > pagesz ? st.st_size - pagesz : 0);
	}
	fd = open(file, O_WRONLY | O_CLOEXEC | (!strcmp(op, "dwrite") ? O_DIRECT : 0));
	if (fd < 0)
		return -1;
	if (!strcmp(op, "ftruncate")) {
		if (fstat(fd, &st))
			ret = -1;
		else
			ret = ftruncate(fd, st.st_size > pagesz ? st.st_size - pagesz : 0);
	} else {
		if (posix_memalign(&buf, (size_t)pagesz, (size_t)pagesz)) {
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		memset(buf, 0x5a, (size_t)pagesz);
		ret = pwrite(fd, buf, (size_t)pagesz, 0) == pagesz ? 0 : -1;
		if (ret == 0 && fsync(fd))
			ret = -1;
		free(buf);
	}
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *expect = NULL, *op, *mode = "rdwr", *file;
	long uid = -1;
	char result[64];
	int opt, ret, err = 0, flags = 0;

	while ((opt = getopt(argc, argv, "+u:e:")) != -1) {
		switch (opt) {
		case 'u':
			uid = strtol(optarg, NULL, 10);
			break;
		case 'e':
			expect = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	op = argv[optind++];

	if (!strcmp(op, "run")) {
		if (optind >= argc)
			usage();
		drop_to(uid);
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		return 127;
	}

	if (!strcmp(op, "attach")) {
		struct nfsswap_attach a;
		int ctl, fd;

		while ((opt = getopt(argc, argv, "o:F")) != -1) {
			if (opt == 'o')
				mode = optarg;
			else if (opt == 'F')
				flags = 1;
			else
				usage();
		}
		if (optind != argc - 1)
			usage();
		file = argv[optind];
		fd = open_mode(mode, file);
		if (fd < 0) {
			fprintf(stderr, "swapprobe: cannot open %s (%s): %s\n", file, mode,
				strerror(errno));
			return 3;
		}
		ctl = open(CONTROL, O_RDWR | O_CLOEXEC);
		if (ctl < 0) {
			fprintf(stderr, "swapprobe: %s: %s\n", CONTROL, strerror(errno));
			return 3;
		}
		drop_to(uid);
		memset(&a, 0, sizeof(a));
		a.fd = fd;
		a.flags = (__u32)flags;
		ret = ioctl(ctl, NFSSWAP_IOC_ATTACH, &a);
		err = errno;
		if (!ret)
			snprintf(result, sizeof(result), "ok %u", a.index);
	} else if (!strcmp(op, "detach")) {
		int ctl;

		if (optind != argc - 1)
			usage();
		ctl = open(CONTROL, O_RDWR | O_CLOEXEC);
		if (ctl < 0) {
			fprintf(stderr, "swapprobe: %s: %s\n", CONTROL, strerror(errno));
			return 3;
		}
		drop_to(uid);
		ret = ioctl(ctl, NFSSWAP_IOC_DETACH, strtoul(argv[optind], NULL, 10));
		err = errno;
	} else {
		if (optind != argc - 1)
			usage();
		file = argv[optind];
		drop_to(uid);
		if (!strcmp(op, "write") || !strcmp(op, "dwrite") || !strcmp(op, "truncate") ||
		    !strcmp(op, "ftruncate"))
			ret = page_op(op, file);
		else if (!strcmp(op, "swapon"))
			ret = swapon(file, 0);
		else if (!strcmp(op, "swapoff"))
			ret = swapoff(file);
		else if (!strcmp(op, "rmmod"))
			ret = (int)syscall(SYS_delete_module, file, O_NONBLOCK);
		else
			usage();
		err = errno;
	}
	if (ret)
		snprintf(result, sizeof(result), "%s", errname(err));
	else if (strcmp(op, "attach"))
		snprintf(result, sizeof(result), "ok");
	printf("%s\n", result);
	if (!expect)
		return ret ? 1 : 0;
	{
		char *list = strdup(expect), *tok, *save = NULL;
		const char *got = ret ? result : "ok";

		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, got)) {
				free(list);
				return 0;
			}
		}
		free(list);
	}
	fprintf(stderr, "swapprobe: %s: got %s, want %s\n", op, result, expect);
	return 1;
}
