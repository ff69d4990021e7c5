// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of nfsswapctl: the tool's source is included with its
 * state-changing system calls replaced by fakes, so the attach/on/off/detach
 * flows run without the module.  Prints "N passed, M failed" last; exits 1
 * on any failure.
 *
 * usage: unit-check [TOP]   (TOP: the source tree, for include/uapi/nfsswap.h)
 */
#define NFSSWAPCTL_NO_MAIN
#include "../nfsswapctl.c"

#include <sys/wait.h>

static int passed, failed, skipped;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			passed++;                                          \
		} else {                                                   \
			failed++;                                          \
			fprintf(stdout, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stdout, __VA_ARGS__);                      \
			fputc('\n', stdout);                               \
		}                                                          \
	} while (0)

static char tmpdir[256];

/* ---- helpers ------------------------------------------------------------ */

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(content, f);
	fclose(f);
}

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

static void tpath(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", tmpdir, rel);
}

static void make_sized(const char *path, off_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, size)) {
		perror(path);
		exit(2);
	}
	close(fd);
}

/* Run fn with stderr and stdout captured into @err / @out. */
static int capture(int (*fn)(void *), void *arg, char *out, size_t outlen,
		   char *err, size_t errlen)
{
	char opath[PATH_MAX], epath[PATH_MAX];
	int save_out, save_err, ofd, efd, ret;
	ssize_t n;

	fflush(stdout);
	fflush(stderr);
	tpath(opath, sizeof(opath), "cap.out");
	tpath(epath, sizeof(epath), "cap.err");
	ofd = open(opath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	efd = open(epath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	save_out = dup(1);
	save_err = dup(2);
	dup2(ofd, 1);
	dup2(efd, 2);
	ret = fn(arg);
	fflush(stdout);
	fflush(stderr);
	dup2(save_out, 1);
	dup2(save_err, 2);
	close(save_out);
	close(save_err);
	n = pread(ofd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = pread(efd, err, errlen - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(ofd);
	close(efd);
	return ret;
}

/* ---- fake kernel -------------------------------------------------------- */

static struct {
	int attach_errno;	/* 0: succeed */
	unsigned int attach_index;
	int attach_calls, attach_fd_flags;
	bool attach_fd_was_file;
	int detach_errno, detach_busy;	/* detach_busy: EBUSY that many times */
	int detach_calls;
	unsigned long detach_arg;
	int swapon_errno, swapon_calls, swapon_flags;
	char swapon_path[PATH_MAX];
	int swapoff_errno, swapoff_calls;
} fk;

static int fake_ioctl(int fd, unsigned long req, unsigned long arg)
{
	(void)fd;
	if (req == NFSSWAP_IOC_ATTACH) {
		struct nfsswap_attach *a = (struct nfsswap_attach *)arg;
		struct stat st;

		fk.attach_calls++;
		fk.attach_fd_flags = fcntl(a->fd, F_GETFL);
		fk.attach_fd_was_file = !fstat(a->fd, &st) && S_ISREG(st.st_mode) &&
					a->flags == 0 && a->pad == 0 && !a->reserved[0] &&
					!a->reserved[3];
		if (fk.attach_errno) {
			errno = fk.attach_errno;
			return -1;
		}
		a->index = fk.attach_index;
		return 0;
	}
	if (req == NFSSWAP_IOC_DETACH) {
		fk.detach_calls++;
		fk.detach_arg = arg;
		if (fk.detach_busy > 0) {
			fk.detach_busy--;
			errno = EBUSY;
			return -1;
		}
		if (fk.detach_errno) {
			errno = fk.detach_errno;
			return -1;
		}
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

static int fake_swapon(const char *path, int flags)
{
	fk.swapon_calls++;
	fk.swapon_flags = flags;
	snprintf(fk.swapon_path, sizeof(fk.swapon_path), "%s", path);
	if (fk.swapon_errno) {
		errno = fk.swapon_errno;
		return -1;
	}
	return 0;
}

static int fake_swapoff(const char *path)
{
	(void)path;
	fk.swapoff_calls++;
	if (fk.swapoff_errno) {
		errno = fk.swapoff_errno;
		return -1;
	}
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void test_parse(void)
{
	static const struct {
		const char *s;
		int ok;
		unsigned int idx;
	} cases[] = {
		{ "0", 1, 0 }, { "7", 1, 7 }, { "nfsswap12", 1, 12 },
		{ "/dev/nfsswap3", 1, 3 }, { "/dev/7", 1, 7 }, { "1048575", 1, 1048575 },
		{ "", 0, 0 }, { "-1", 0, 0 }, { "01", 0, 0 }, { "nfsswap", 0, 0 },
		{ "nfsswap1x", 0, 0 }, { "/dev/sda", 0, 0 }, { "abc", 0, 0 },
		{ "4294967296", 0, 0 }, { "1048576", 0, 0 }, { "nfsswap-1", 0, 0 },
		{ " 1", 0, 0 }, { "1 ", 0, 0 }, { "+1", 0, 0 }, { "/dev/nfsswap", 0, 0 },
		{ "/devx/nfsswap1", 0, 0 }, { "99999999999999999999999", 0, 0 },
	};
	char alt[PATH_MAX];
	unsigned int idx;
	int prio;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_dev(cases[i].s, &idx);

		CHECK((r == 0) == cases[i].ok, "parse_dev(\"%s\") = %d", cases[i].s, r);
		if (!r && cases[i].ok)
			CHECK(idx == cases[i].idx, "parse_dev(\"%s\") gave %u", cases[i].s, idx);
	}
	/* The dev root may replace /dev. */
	setenv("NFSSWAP_DEV_ROOT", "/tmp/devroot", 1);
	snprintf(alt, sizeof(alt), "/tmp/devroot/nfsswap5");
	CHECK(!parse_dev(alt, &idx) && idx == 5, "parse_dev with NFSSWAP_DEV_ROOT");
	unsetenv("NFSSWAP_DEV_ROOT");

	CHECK(!parse_priority("0", &prio) && prio == 0, "priority 0");
	CHECK(!parse_priority("32767", &prio) && prio == 32767, "priority 32767");
	CHECK(!parse_priority("5", &prio) && prio == 5, "priority 5");
	CHECK(parse_priority("32768", &prio), "priority 32768 accepted");
	CHECK(parse_priority("-1", &prio), "priority -1 accepted");
	CHECK(parse_priority("", &prio), "empty priority accepted");
	CHECK(parse_priority("1e3", &prio), "priority 1e3 accepted");
	CHECK(parse_priority("+1", &prio), "priority +1 accepted");

	{
		dev_t d;

		CHECK(!parse_devnum("250:3", &d) && major(d) == 250 && minor(d) == 3,
		      "parse_devnum 250:3");
		CHECK(parse_devnum("250", &d), "parse_devnum 250");
		CHECK(parse_devnum("250:3x", &d), "parse_devnum 250:3x");
	}
}

static void test_swap_header(void)
{
	size_t pagesz = 4096;
	unsigned char page[4096], uuid[16];
	uint64_t size = 1 << 20;

	make_uuid(uuid);
	CHECK((uuid[6] >> 4) == 4 && (uuid[8] >> 6) == 2, "uuid v4 bits");
	CHECK(!swap_header_build(page, pagesz, size, uuid), "build 1 MiB");
	CHECK(!memcmp(page + 4086, "SWAPSPACE2", 10), "magic at page end");
	CHECK(get_u32(page + 1024) == 1, "version 1");
	CHECK(get_u32(page + 1028) == 255, "last_page %u", get_u32(page + 1028));
	CHECK(get_u32(page + 1032) == 0, "no bad pages");
	CHECK(!memcmp(page + 1036, uuid, 16), "uuid");
	CHECK(swap_header_valid(page, pagesz, size), "valid for its size");
	CHECK(!swap_header_valid(page, pagesz, size * 2), "valid for another size");
	CHECK(swap_header_build(page, pagesz, 9 * 4096, uuid), "9 pages accepted");
	CHECK(!swap_header_build(page, pagesz, 10 * 4096 + 100, uuid), "10 pages refused");
	CHECK(get_u32(page + 1028) == 9, "last_page of 10 pages + tail");
	page[4090] ^= 1;
	CHECK(!swap_header_valid(page, pagesz, 10 * 4096), "bad magic valid");
	memset(page, 0, sizeof(page));
	CHECK(!swap_header_valid(page, pagesz, size), "zero page valid");
}

/* Cross-check against util-linux: mkswap's header is valid, ours is read. */
static void test_swap_header_util_linux(void)
{
	char file[PATH_MAX], cmd[PATH_MAX + 64], line[256];
	unsigned char page[4096], uuid[16];
	FILE *p;
	int fd;

	if (access("/sbin/mkswap", X_OK) || access("/sbin/swaplabel", X_OK) ||
	    sysconf(_SC_PAGESIZE) != 4096) {
		printf("skip: util-linux mkswap/swaplabel not found\n");
		skipped++;
		return;
	}
	tpath(file, sizeof(file), "mkswap.img");
	make_sized(file, 2 << 20);
	snprintf(cmd, sizeof(cmd), "/sbin/mkswap -q %s >/dev/null 2>&1", file);
	CHECK(system(cmd) == 0, "mkswap ran");
	fd = open(file, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page),
	      "read mkswap page");
	close(fd);
	CHECK(swap_header_valid(page, 4096, 2 << 20), "mkswap's header not recognised");

	/* Ours, read back by swaplabel: it prints the UUID we wrote. */
	memcpy(uuid, "\x12\x34\x56\x78\x9a\xbc\x4e\xf0\x81\x23\x45\x67\x89\xab\xcd\xef", 16);
	swap_header_build(page, 4096, 2 << 20, uuid);
	fd = open(file, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page),
	      "write our page");
	close(fd);
	snprintf(cmd, sizeof(cmd), "/sbin/swaplabel %s 2>&1", file);
	p = popen(cmd, "r");
	line[0] = '\0';
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	CHECK(strstr(line, "12345678-9abc-4ef0-8123-456789abcdef") != NULL,
	      "swaplabel says: %s", line);
}

struct errname {
	const char *name;
	int value;
};

static const struct errname errnames[] = {
	{ "EPERM", EPERM }, { "EFAULT", EFAULT }, { "EINVAL", EINVAL },
	{ "EBADF", EBADF }, { "EISDIR", EISDIR }, { "ERANGE", ERANGE },
	{ "ENODATA", ENODATA }, { "EBUSY", EBUSY }, { "ETXTBSY", ETXTBSY },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC },
	{ "ENXIO", ENXIO }, { "ENOENT", ENOENT }, { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV }, { "EIO", EIO }, { "EAGAIN", EAGAIN },
	{ "ENOTTY", ENOTTY }, { "EROFS", EROFS }, { "EACCES", EACCES },
	{ "EFBIG", EFBIG }, { "E2BIG", E2BIG }, { "ENOTBLK", ENOTBLK },
	{ "ELOOP", ELOOP },
};

static int errno_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].value;
	return -1;
}

/*
 * The errnos documented in the uapi header's comment above @macro, e.g.
 * "*   EPERM      ..." and "*   ENOMEM, ENOSPC  ...".
 */
static int documented_errnos(const char *top, const char *macro, int *out, int max)
{
	char path[PATH_MAX], line[512];
	int n = 0, pending = 0, pend[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/include/uapi/nfsswap.h", top);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *tok, *save;

		if (strstr(line, "/*"))
			pending = 0;
		if (!strncmp(line, "#define ", 8) && strstr(line, macro) == line + 8 &&
		    (line[8 + strlen(macro)] == '\t' || line[8 + strlen(macro)] == ' ')) {
			int i;

			for (i = 0; i < pending && n < max; i++)
				out[n++] = pend[i];
			break;
		}
		while (*p == ' ' || *p == '\t' || *p == '*')
			p++;
		if (p == line || *p != 'E')
			continue;
		/* Leading comma-separated E-names of the line. */
		for (tok = strtok_r(p, ", \t\n", &save); tok; tok = strtok_r(NULL, ", \t\n", &save)) {
			int v = errno_by_name(tok);

			if (tok[0] != 'E' || strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(tok))
				break;
			if (v < 0) {
				printf("FAIL: the header documents %s, unknown to this test\n", tok);
				failed++;
				continue;
			}
			if (pending < 32)
				pend[pending++] = v;
		}
	}
	fclose(f);
	return n;
}

static void test_hints(const char *top)
{
	char buf[1024], file[] = "/mnt/nfs/swapfile";
	const char *h;
	struct stat st;
	int errs[32], n, i;

	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0600;

	/* Every documented errno has a hint of its own, not strerror. */
	n = documented_errnos(top, "NFSSWAP_IOC_ATTACH", errs, 32);
	CHECK(n >= 10, "found %d documented ATTACH errnos in the uapi header", n);
	for (i = 0; i < n; i++) {
		st.st_size = 3 << 20;
		h = attach_hint(errs[i], file, &st, buf, sizeof(buf));
		CHECK(strcmp(h, strerror(errs[i])), "ATTACH errno %d (%s) has no hint",
		      errs[i], strerror(errs[i]));
	}
	n = documented_errnos(top, "NFSSWAP_IOC_DETACH", errs, 32);
	CHECK(n >= 3, "found %d documented DETACH errnos", n);
	for (i = 0; i < n; i++)
		CHECK(strcmp(detach_hint(errs[i]), strerror(errs[i])),
		      "DETACH errno %d (%s) has no hint", errs[i], strerror(errs[i]));

	/* The hints say what to do. */
	st.st_size = (5 << 19); /* 2.5 MiB */
	h = attach_hint(ENODATA, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "file has holes") &&
	      strstr(h, "dd if=/dev/zero of=/mnt/nfs/swapfile bs=1M count=3"), "holes: %s", h);
	st.st_size = 4097;
	h = attach_hint(ERANGE, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "not a multiple of the page size"), "odd size: %s", h);
	st.st_size = 40960;
	h = attach_hint(ERANGE, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "too small") && strstr(h, "count=1"), "small: %s", h);
	st.st_size = 1LL << 50;
	h = attach_hint(ERANGE, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "out of the range"), "large: %s", h);
	h = attach_hint(EINVAL, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "do not match"), "EINVAL on a regular file: %s", h);
	st.st_mode = S_IFCHR | 0600;
	h = attach_hint(EINVAL, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "not a regular file"), "EINVAL on a device: %s", h);
	st.st_mode = S_IFREG | 0600;
	h = attach_hint(EBUSY, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "already attached"), "EBUSY: %s", h);
	h = attach_hint(ETXTBSY, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "swapoff"), "ETXTBSY: %s", h);
	h = attach_hint(EPERM, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "root"), "EPERM: %s", h);
	h = attach_hint(EIO, file, &st, buf, sizeof(buf));
	CHECK(!strcmp(h, strerror(EIO)), "EIO: %s", h);
	h = attach_hint(ENOTTY, file, &st, buf, sizeof(buf));
	CHECK(strstr(h, "does not know"), "ENOTTY: %s", h);
	h = open_hint(ETXTBSY, file, buf, sizeof(buf));
	CHECK(strstr(h, "nfsswapctl list"), "open ETXTBSY: %s", h);
	h = open_hint(ENOENT, file, buf, sizeof(buf));
	CHECK(strstr(h, "dd if=/dev/zero of=/mnt/nfs/swapfile"), "ENOENT: %s", h);

	/* EOPNOTSUPP names the current io_path and suggests the other one. */
	{
		char dir[1024], p[PATH_MAX];

		tpath(dir, sizeof(dir), "sys-iop/module/netvm_swap/parameters");
		mkdirs(dir);
		snprintf(p, sizeof(p), "%s/io_path", dir);
		write_file(p, "direct\n");
		tpath(dir, sizeof(dir), "sys-iop");
		setenv("NFSSWAP_SYSFS_ROOT", dir, 1);
		h = attach_hint(EOPNOTSUPP, file, &st, buf, sizeof(buf));
		CHECK(strstr(h, "io_path=direct;") && strstr(h, "netvm_swap io_path=swapops"),
		      "EOPNOTSUPP: %s", h);
		unsetenv("NFSSWAP_SYSFS_ROOT");
	}
	CHECK(strstr(detach_hint(EBUSY), "nfsswapctl off"), "detach EBUSY");
	CHECK(strstr(swapoff_hint(ENOMEM), "free memory"), "swapoff ENOMEM");
}

/* A fake system: sysfs and /dev in tmpdir, a regular file as the device. */
static char fsys[512], fdev[512], fproc[512], backing[512];

static void fake_system(unsigned int index)
{
	char p[PATH_MAX];

	snprintf(fsys, sizeof(fsys), "%s/fsys", tmpdir);
	snprintf(fdev, sizeof(fdev), "%s/fdev", tmpdir);
	snprintf(fproc, sizeof(fproc), "%s/fproc", tmpdir);
	mkdirs(fsys);
	mkdirs(fdev);
	mkdirs(fproc);
	snprintf(p, sizeof(p), "%s/block/nfsswap%u/nfsswap", fsys, index);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/block/nfsswap%u/dev", fsys, index);
	write_file(p, "250:3\n");
	snprintf(p, sizeof(p), "%s/nfsswap-control", fdev);
	write_file(p, "");
	snprintf(p, sizeof(p), "%s/nfsswap%u", fdev, index);
	make_sized(p, 1 << 20);
	snprintf(backing, sizeof(backing), "%s/backing", tmpdir);
	make_sized(backing, 1 << 20);
	setenv("NFSSWAP_SYSFS_ROOT", fsys, 1);
	setenv("NFSSWAP_DEV_ROOT", fdev, 1);
	setenv("NFSSWAP_PROC_ROOT", fproc, 1);
	setenv("NFSSWAP_NODE_WAIT_MS", "0", 1);
	setenv("NFSSWAP_BUSY_WAIT_MS", "0", 1);
	sys.ioctl = fake_ioctl;
	sys.swapon = fake_swapon;
	sys.swapoff = fake_swapoff;
	sys.node_must_be_blk = false;
	memset(&fk, 0, sizeof(fk));
	fk.attach_index = index;
}

static void real_system(void)
{
	unsetenv("NFSSWAP_SYSFS_ROOT");
	unsetenv("NFSSWAP_DEV_ROOT");
	unsetenv("NFSSWAP_PROC_ROOT");
	unsetenv("NFSSWAP_NODE_WAIT_MS");
	unsetenv("NFSSWAP_BUSY_WAIT_MS");
	sys.ioctl = real_ioctl;
	sys.swapon = real_swapon;
	sys.swapoff = real_swapoff;
	sys.node_must_be_blk = true;
}

struct on_args {
	const char *file;
	bool have_prio;
	int prio;
	const char *dev;
};

static int run_on(void *a)
{
	struct on_args *o = a;

	return cmd_on(o->file, o->have_prio, o->prio);
}

static int run_attach(void *a)
{
	return cmd_attach(((struct on_args *)a)->file);
}

static int run_off(void *a)
{
	return cmd_off(((struct on_args *)a)->dev);
}

static int run_detach(void *a)
{
	return cmd_detach(((struct on_args *)a)->dev);
}

static void test_flows(void)
{
	char out[4096], err[4096], devnode[1024], expect[1100];
	unsigned char page[4096], first_uuid[16];
	struct on_args o = { 0 };
	int ret, fd;

	/* attach: the descriptor is O_RDWR, the request zeroed, the node printed. */
	fake_system(3);
	snprintf(devnode, sizeof(devnode), "%s/nfsswap3", fdev);
	o.file = backing;
	ret = capture(run_attach, &o, out, sizeof(out), err, sizeof(err));
	snprintf(expect, sizeof(expect), "%s\n", devnode);
	CHECK(ret == 0 && !strcmp(out, expect), "attach: ret %d out '%s' err '%s'", ret, out, err);
	CHECK(fk.attach_calls == 1 && (fk.attach_fd_flags & O_ACCMODE) == O_RDWR &&
	      fk.attach_fd_was_file, "attach descriptor");

	/* attach refused: the hint, exit 1, nothing printed. */
	fake_system(3);
	fk.attach_errno = ENODATA;
	o.file = backing;
	ret = capture(run_attach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && !*out && strstr(err, "file has holes; allocate it fully") &&
	      strstr(err, backing), "attach ENODATA: ret %d err '%s'", ret, err);

	/* on: attach, signature written, swapon with the priority. */
	fake_system(3);
	o.file = backing;
	o.have_prio = true;
	o.prio = 5;
	ret = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 0 && !strcmp(out, expect), "on: ret %d out '%s' err '%s'", ret, out, err);
	CHECK(fk.swapon_calls == 1 && !strcmp(fk.swapon_path, devnode) &&
	      fk.swapon_flags == (SWAP_FLAG_PREFER | 5), "on: swapon(%s, %#x)",
	      fk.swapon_path, fk.swapon_flags);
	fd = open(devnode, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
	      swap_header_valid(page, 4096, 1 << 20), "on: signature written");
	close(fd);
	memcpy(first_uuid, page + SWAP_OFF_UUID, 16);

	/* on again: the signature is kept; no priority, no PREFER. */
	memset(&fk, 0, sizeof(fk));
	fk.attach_index = 3;
	o.have_prio = false;
	ret = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	fd = open(devnode, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
	      !memcmp(page + SWAP_OFF_UUID, first_uuid, 16), "on: signature kept");
	close(fd);
	CHECK(ret == 0 && fk.swapon_flags == 0, "on without priority: flags %#x", fk.swapon_flags);

	/* on with swapon failing: detached again, exit 1. */
	fake_system(3);
	fk.swapon_errno = EINVAL;
	o.have_prio = false;
	ret = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.detach_calls == 1 && fk.detach_arg == 3 &&
	      strstr(err, "swapon") && strstr(err, "detached"),
	      "on, swapon fails: ret %d detach %d err '%s'", ret, fk.detach_calls, err);

	/* on a device too small for a swap area: detached again. */
	fake_system(3);
	make_sized(devnode, 4096 * 4);
	ret = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.swapon_calls == 0 && fk.detach_calls == 1 &&
	      strstr(err, "too small"), "on, tiny device: ret %d err '%s'", ret, err);

	/* on when no device node can be had: detached again. */
	fake_system(3);
	sys.node_must_be_blk = true;
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/block/nfsswap3/dev", fsys);
		unlink(p);
	}
	ret = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.detach_calls == 1 && fk.swapon_calls == 0 &&
	      strstr(err, "detached nfsswap3 again"), "on, no node: ret %d err '%s'", ret, err);
	ret = capture(run_attach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.detach_calls == 1 && strstr(err, "`nfsswapctl detach 3` undoes it"),
	      "attach, no node: ret %d err '%s'", ret, err);

	/* off: swapoff then detach. */
	fake_system(3);
	o.dev = "/dev/nfsswap3";
	ret = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 0 && fk.swapoff_calls == 1 && fk.detach_calls == 1 && fk.detach_arg == 3,
	      "off: ret %d err '%s'", ret, err);

	/* off on a device that is not swap: detached anyway, with a note. */
	fake_system(3);
	fk.swapoff_errno = EINVAL;
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/swaps", fproc);
		write_file(p, "Filename\tType\tSize\tUsed\tPriority\n");
	}
	ret = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 0 && fk.detach_calls == 1 && strstr(err, "was not active swap"),
	      "off, not swap: ret %d err '%s'", ret, err);

	/* off when swapoff runs out of memory: still attached, exit 1. */
	fake_system(3);
	fk.swapoff_errno = ENOMEM;
	ret = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.detach_calls == 0 && strstr(err, "free memory"),
	      "off, ENOMEM: ret %d err '%s'", ret, err);

	/* off on a device that does not exist. */
	fake_system(3);
	o.dev = "9";
	ret = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && fk.swapoff_calls == 0 && strstr(err, "no such device"),
	      "off 9: ret %d err '%s'", ret, err);

	/* detach: N, nfsswapN; EBUSY explained. */
	fake_system(3);
	o.dev = "nfsswap3";
	ret = capture(run_detach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 0 && fk.detach_calls == 1 && fk.detach_arg == 3, "detach nfsswap3");
	fk.detach_errno = EBUSY;
	ret = capture(run_detach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 1 && strstr(err, "in use"), "detach EBUSY: '%s'", err);
	o.dev = "sda";
	ret = capture(run_detach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 2 && fk.detach_calls == 2, "detach sda: ret %d", ret);

	/* EBUSY for a moment (udev): retried while the device is not swap. */
	fake_system(3);
	setenv("NFSSWAP_BUSY_WAIT_MS", "1000", 1);
	fk.detach_busy = 2;
	o.dev = "3";
	ret = capture(run_detach, &o, out, sizeof(out), err, sizeof(err));
	CHECK(ret == 0 && fk.detach_calls == 3, "detach, busy twice: ret %d calls %d err '%s'",
	      ret, fk.detach_calls, err);
	/* ... but not when it is swap. */
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/swaps", fproc);
		write_file(p, "Filename\tType\tSize\tUsed\tPriority\n"
			   "/dev/nfsswap3 partition 1020 0 -2\n");
		fk.detach_calls = 0;
		fk.detach_busy = 2;
		ret = capture(run_detach, &o, out, sizeof(out), err, sizeof(err));
		CHECK(ret == 1 && fk.detach_calls == 1 && strstr(err, "in use"),
		      "detach swap, busy: ret %d calls %d", ret, fk.detach_calls);
		unlink(p);
	}
	setenv("NFSSWAP_BUSY_WAIT_MS", "0", 1);

	real_system();
}

struct argv_case {
	int argc;
	char *argv[6];
};

static int run_main(void *a)
{
	struct argv_case *c = a;

	return nfsswapctl_main(c->argc, c->argv);
}

/* Usage errors exit 2 before touching anything; --help and --version 0. */
static void test_main(void)
{
	static const struct {
		int ret;
		const char *out, *err;
		int argc;
		const char *argv[6];
	} cases[] = {
		{ 2, "", "no command given", 1, { "nfsswapctl" } },
		{ 0, "usage: nfsswapctl COMMAND", "", 2, { "nfsswapctl", "--help" } },
		{ 0, "usage:", "", 3, { "nfsswapctl", "on", "-h" } },
		{ 0, "nfsswapctl ", "", 2, { "nfsswapctl", "--version" } },
		{ 2, "", "unknown command 'frob'", 2, { "nfsswapctl", "frob" } },
		{ 2, "", "unknown option '--frob'", 2, { "nfsswapctl", "--frob" } },
		{ 2, "", "attach: missing FILE", 2, { "nfsswapctl", "attach" } },
		{ 2, "", "attach: too many arguments", 4, { "nfsswapctl", "attach", "a", "b" } },
		{ 2, "", "attach: unknown option '-x'", 3, { "nfsswapctl", "attach", "-x" } },
		{ 2, "", "attach: unknown option '--priority'", 5,
		  { "nfsswapctl", "attach", "f", "--priority", "3" } },
		{ 2, "", "detach: missing DEV", 2, { "nfsswapctl", "detach" } },
		{ 2, "", "sda: not a device", 3, { "nfsswapctl", "detach", "sda" } },
		{ 2, "", "off: missing DEV", 2, { "nfsswapctl", "off" } },
		{ 2, "", "nfsswapx: not a device", 3, { "nfsswapctl", "off", "nfsswapx" } },
		{ 2, "", "list: too many arguments", 3, { "nfsswapctl", "list", "x" } },
		{ 2, "", "status: too many arguments", 4, { "nfsswapctl", "status", "1", "2" } },
		{ 2, "", "x1: not a device", 3, { "nfsswapctl", "status", "x1" } },
		{ 2, "", "on: missing FILE", 2, { "nfsswapctl", "on" } },
		{ 2, "", "--priority needs a value", 4, { "nfsswapctl", "on", "f", "--priority" } },
		{ 2, "", "bad priority '40000'", 5, { "nfsswapctl", "on", "f", "--priority", "40000" } },
		{ 2, "", "bad priority 'abc'", 4, { "nfsswapctl", "on", "--priority=abc", "f" } },
		{ 2, "", "bad priority '-1'", 5, { "nfsswapctl", "on", "f", "-p", "-1" } },
		{ 2, "", "on: too many arguments", 5, { "nfsswapctl", "on", "f", "g", "-p1" } },
		{ 2, "", "on: empty argument", 3, { "nfsswapctl", "on", "" } },
	};
	char out[4096], err[4096];
	size_t i;
	int j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct argv_case c = { cases[i].argc, { NULL } };
		int ret;

		for (j = 0; j < cases[i].argc; j++)
			c.argv[j] = (char *)cases[i].argv[j];
		ret = capture(run_main, &c, out, sizeof(out), err, sizeof(err));
		CHECK(ret == cases[i].ret && strstr(out, cases[i].out) && strstr(err, cases[i].err) &&
		      (!*cases[i].out || !*err) && (!*cases[i].err || !*out),
		      "case %zu (%s %s): ret %d out '%s' err '%s'", i, cases[i].argv[1],
		      cases[i].argc > 2 ? cases[i].argv[2] : "", ret, out, err);
		if (ret == 2)
			CHECK(strstr(err, "Try 'nfsswapctl --help'."), "case %zu: no help pointer", i);
	}

	/* Options after "--" are operands; "-p N" before FILE works. */
	{
		struct argv_case c = { 5, { "nfsswapctl", "on", "-p", "7", "/nonexistent/f" } };
		int ret = capture(run_main, &c, out, sizeof(out), err, sizeof(err));

		CHECK(ret == 1 && strstr(err, "/nonexistent/f: no such file"),
		      "on -p 7 FILE: ret %d err '%s'", ret, err);
	}
	{
		struct argv_case c = { 4, { "nfsswapctl", "attach", "--", "-odd" } };
		int ret = capture(run_main, &c, out, sizeof(out), err, sizeof(err));

		CHECK(ret == 1 && strstr(err, "-odd: no such file"),
		      "attach -- -odd: ret %d err '%s'", ret, err);
	}
}

/* Device nodes are made with mknod when udev does not make them (root). */
static void test_nodes(void)
{
	char p[PATH_MAX], node[PATH_MAX];
	struct stat st;
	int fd;

	if (geteuid() != 0) {
		printf("skip: mknod tests need root\n");
		skipped++;
		return;
	}
	fake_system(4);
	sys.node_must_be_blk = true;
	snprintf(p, sizeof(p), "%s/block/nfsswap4/dev", fsys);
	write_file(p, "250:4\n");
	snprintf(p, sizeof(p), "%s/nfsswap4", fdev);
	unlink(p);
	CHECK(!ensure_node(4, node, sizeof(node)) && !strcmp(node, p), "ensure_node");
	CHECK(!stat(p, &st) && S_ISBLK(st.st_mode) && st.st_rdev == makedev(250, 4),
	      "node made");
	/* A stale node (here a regular file) is replaced. */
	unlink(p);
	write_file(p, "");
	CHECK(!ensure_node(4, node, sizeof(node)), "ensure_node over a file");
	CHECK(!stat(p, &st) && S_ISBLK(st.st_mode) && st.st_rdev == makedev(250, 4),
	      "stale node replaced");
	/* An unreadable dev attribute: an error, no node. */
	unlink(p);
	snprintf(p, sizeof(p), "%s/block/nfsswap4/dev", fsys);
	unlink(p);
	{
		int save = dup(2), null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		CHECK(ensure_node(4, node, sizeof(node)) == -1, "ensure_node without sysfs dev");
		dup2(save, 2);
		close(save);
		close(null);
	}

	/* The control node is made from /sys/class/misc (1:3 is /dev/null). */
	snprintf(p, sizeof(p), "%s/class/misc/nfsswap-control", fsys);
	mkdirs(p);
	strcat(p, "/dev");
	write_file(p, "1:3\n");
	snprintf(p, sizeof(p), "%s/nfsswap-control", fdev);
	unlink(p);
	fd = open_control();
	CHECK(fd >= 0, "open_control made the node");
	if (fd >= 0)
		close(fd);
	CHECK(!stat(p, &st) && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
	      "control node 1:3");
	real_system();
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : "..";
	char cmd[PATH_MAX + 16];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/nfsswapctl-unit.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_parse();
	test_main();
	test_swap_header();
	test_swap_header_util_linux();
	test_hints(top);
	test_flows();
	test_nodes();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	printf("unit: %d passed, %d failed", passed, failed);
	if (skipped)
		printf(", %d skipped", skipped);
	printf("\n");
	return failed ? 1 : 0;
}
