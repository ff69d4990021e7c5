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

#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/magic.h>

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
	int other_swapoff;	/* EINVAL while listed; at 0 drop /proc/swaps */
	int fallocate_errno, fallocate_calls;
	bool fallocate_sparse;	/* "succeed" with a sparse file */
	int sysctl_write_errno, sysctl_write_calls;
	bool sysctl_write_short;	/* write nothing, errno 0 */
	char minfree_at_swapon[32];	/* the fake vm.min_free_kbytes then */
	char swapoff_path[PATH_MAX];
	char log[512];		/* attach, detach, swapon, swapoff, DM requests */
	/* device-mapper */
	unsigned long dm_fail_req;	/* this request fails with dm_errno */
	int dm_errno;
	bool dm_exists;		/* the mapping, for DM_DEV_STATUS */
	bool dm_no_udev;	/* resume makes no node */
	bool dm_bad_header;	/* a request with a wrong version or name */
	uint32_t dm_load_flags, dm_load_size, dm_targets;
	uint64_t dm_len;
	uint32_t dm_next;
	char dm_type[DM_MAX_TYPE_NAME + 1], dm_name[DM_NAME_LEN];
	char dm_params[512];
} fk;

static char fproc[512], fdev[512];

static void fk_log(const char *what)
{
	size_t n = strlen(fk.log);

	snprintf(fk.log + n, sizeof(fk.log) - n, "%s%s", n ? " " : "", what);
}

/* The device-mapper part of the fake kernel. */
static int fake_dm_ioctl(unsigned long req, struct dm_ioctl *io)
{
	static const struct {
		unsigned long req;
		const char *name;
	} reqs[] = {
		{ DM_DEV_CREATE, "create" }, { DM_TABLE_LOAD, "load" },
		{ DM_DEV_SUSPEND, "resume" }, { DM_DEV_STATUS, "status" },
		{ DM_DEV_REMOVE, "remove" },
	};
	char node[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]) && reqs[i].req != req; i++)
		;
	if (i == sizeof(reqs) / sizeof(reqs[0])) {
		fk_log("dm?");
		errno = ENOTTY;
		return -1;
	}
	fk_log(reqs[i].name);
	snprintf(fk.dm_name, sizeof(fk.dm_name), "%s", io->name);
	if (io->version[0] != 4 || io->data_start != sizeof(struct dm_ioctl) ||
	    io->data_size < sizeof(struct dm_ioctl) || strcmp(io->name, "nfsswap3_crypt"))
		fk.dm_bad_header = true;
	if (req == DM_TABLE_LOAD) {
		struct dm_target_spec *spec = (struct dm_target_spec *)((char *)io +
									 io->data_start);
		const char *params = (const char *)(spec + 1);

		fk.dm_load_flags = io->flags;
		fk.dm_load_size = io->data_size;
		fk.dm_targets = io->target_count;
		fk.dm_len = spec->length;
		fk.dm_next = spec->next;
		snprintf(fk.dm_type, sizeof(fk.dm_type), "%s", spec->target_type);
		if (memchr(params, 0, io->data_size - (size_t)(params - (char *)io)))
			snprintf(fk.dm_params, sizeof(fk.dm_params), "%s", params);
		else
			snprintf(fk.dm_params, sizeof(fk.dm_params), "(not terminated)");
	}
	if (req == fk.dm_fail_req) {
		errno = fk.dm_errno;
		return -1;
	}
	snprintf(node, sizeof(node), "%s/mapper/nfsswap3_crypt", fdev);
	if (req == DM_DEV_STATUS && !fk.dm_exists) {
		errno = ENXIO;
		return -1;
	}
	if (req == DM_DEV_SUSPEND && !fk.dm_no_udev)
		make_sized(node, 1 << 20);	/* what udev does */
	if (req == DM_DEV_REMOVE) {
		unlink(node);
		fk.dm_exists = false;
	}
	if (req == DM_DEV_CREATE || req == DM_DEV_SUSPEND || req == DM_DEV_STATUS)
		io->dev = makedev(253, 0);
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, unsigned long arg)
{
	(void)fd;
	if (_IOC_TYPE(req) == DM_IOCTL)
		return fake_dm_ioctl(req, (struct dm_ioctl *)arg);
	if (req == NFSSWAP_IOC_ATTACH) {
		struct nfsswap_attach *a = (struct nfsswap_attach *)arg;
		struct stat st;

		fk_log("attach");
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
		fk_log("detach");
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
	char p[PATH_MAX];

	fk_log("swapon");
	fk.swapon_calls++;
	fk.swapon_flags = flags;
	snprintf(p, sizeof(p), "%s/sys/vm/min_free_kbytes", fproc);
	if (read_line(p, fk.minfree_at_swapon, sizeof(fk.minfree_at_swapon)))
		snprintf(fk.minfree_at_swapon, sizeof(fk.minfree_at_swapon), "none");
	snprintf(fk.swapon_path, sizeof(fk.swapon_path), "%s", path);
	if (fk.swapon_errno) {
		errno = fk.swapon_errno;
		return -1;
	}
	return 0;
}

static int fake_swapoff(const char *path)
{
	fk_log("swapoff");
	snprintf(fk.swapoff_path, sizeof(fk.swapoff_path), "%s", path);
	fk.swapoff_calls++;
	if (fk.other_swapoff > 0) {
		/* Someone else's swapoff of the device finishes after a while. */
		if (--fk.other_swapoff == 0) {
			char p[PATH_MAX];

			snprintf(p, sizeof(p), "%s/swaps", fproc);
			write_file(p, "Filename\tType\tSize\tUsed\tPriority\n");
		}
		errno = EINVAL;
		return -1;
	}
	if (fk.swapoff_errno) {
		errno = fk.swapoff_errno;
		return -1;
	}
	return 0;
}

static int fake_fallocate(int fd, off_t len)
{
	fk.fallocate_calls++;
	if (fk.fallocate_sparse)
		return ftruncate(fd, len);
	if (fk.fallocate_errno) {
		errno = fk.fallocate_errno;
		return -1;
	}
	return real_fallocate(fd, len);
}

static ssize_t fake_sysctl_write(int fd, const void *buf, size_t len)
{
	fk.sysctl_write_calls++;
	if (fk.sysctl_write_short) {
		errno = 0;
		return 0;
	}
	if (fk.sysctl_write_errno) {
		errno = fk.sysctl_write_errno;
		return -1;
	}
	return real_sysctl_write(fd, buf, len);
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
static char fsys[512], frun[512], backing[512];

static void fake_system(unsigned int index)
{
	char p[PATH_MAX];

	snprintf(fsys, sizeof(fsys), "%s/fsys", tmpdir);
	snprintf(fdev, sizeof(fdev), "%s/fdev", tmpdir);
	snprintf(fproc, sizeof(fproc), "%s/fproc", tmpdir);
	snprintf(frun, sizeof(frun), "%s/frun", tmpdir);
	mkdirs(fsys);
	mkdirs(fdev);
	mkdirs(fproc);
	mkdirs(frun);
	snprintf(p, sizeof(p), "%s/block/nfsswap%u/nfsswap", fsys, index);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/block/nfsswap%u/dev", fsys, index);
	write_file(p, "250:3\n");
	snprintf(p, sizeof(p), "%s/nfsswap-control", fdev);
	write_file(p, "");
	snprintf(p, sizeof(p), "%s/nfsswap%u", fdev, index);
	make_sized(p, 1 << 20);
	/* No device-mapper (fake_dm() adds it), no mapping. */
	snprintf(p, sizeof(p), "%s/mapper/control", fdev);
	unlink(p);
	snprintf(p, sizeof(p), "%s/mapper/nfsswap%u_crypt", fdev, index);
	unlink(p);
	snprintf(p, sizeof(p), "%s/block/dm-0/dm/name", fsys);
	unlink(p);
	snprintf(p, sizeof(p), "%s/block/nfsswap%u/holders/dm-0/dm/name", fsys, index);
	unlink(p);
	snprintf(backing, sizeof(backing), "%s/backing", tmpdir);
	make_sized(backing, 1 << 20);
	snprintf(p, sizeof(p), "%s/netvm-swap/devices", frun);
	unlink(p);
	snprintf(p, sizeof(p), "%s/swaps", fproc);
	unlink(p);
	setenv("NFSSWAP_SYSFS_ROOT", fsys, 1);
	setenv("NFSSWAP_DEV_ROOT", fdev, 1);
	setenv("NFSSWAP_PROC_ROOT", fproc, 1);
	setenv("NFSSWAP_RUN_ROOT", frun, 1);
	setenv("NFSSWAP_NODE_WAIT_MS", "0", 1);
	setenv("NFSSWAP_BUSY_WAIT_MS", "0", 1);
	setenv("NFSSWAP_SWAPOFF_WAIT_MS", "0", 1);
	setenv("NFSSWAP_HOSTNAME", "pc12.school.lan", 1);
	setenv("NFSSWAP_ANY_FS", "1", 1);
	sys.ioctl = fake_ioctl;
	sys.swapon = fake_swapon;
	sys.swapoff = fake_swapoff;
	sys.fallocate = fake_fallocate;
	sys.sysctl_write = fake_sysctl_write;
	sys.node_must_be_blk = false;
	memset(&fk, 0, sizeof(fk));
	fk.attach_index = index;
}

static void real_system(void)
{
	unsetenv("NFSSWAP_SYSFS_ROOT");
	unsetenv("NFSSWAP_DEV_ROOT");
	unsetenv("NFSSWAP_PROC_ROOT");
	unsetenv("NFSSWAP_RUN_ROOT");
	unsetenv("NFSSWAP_NODE_WAIT_MS");
	unsetenv("NFSSWAP_BUSY_WAIT_MS");
	unsetenv("NFSSWAP_SWAPOFF_WAIT_MS");
	unsetenv("NFSSWAP_HOSTNAME");
	unsetenv("NFSSWAP_ANY_FS");
	sys.ioctl = real_ioctl;
	sys.swapon = real_swapon;
	sys.swapoff = real_swapoff;
	sys.fallocate = real_fallocate;
	sys.sysctl_write = real_sysctl_write;
	sys.node_must_be_blk = true;
}

struct on_args {
	const char *file;
	bool have_prio;
	int prio;
	const char *dev;
	bool encrypt;
};

static int run_on(void *a)
{
	struct on_args *o = a;

	return cmd_on(o->file, o->have_prio, o->prio, o->encrypt);
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

/* ---- thin-client commands: create, config, up, down ---------------------- */

static void test_size(void)
{
	static const struct {
		const char *s;
		int ok;
		uint64_t v;
	} cases[] = {
		{ "0", 1, 0 }, { "4096", 1, 4096 }, { "1K", 1, 1024 }, { "1k", 1, 1024 },
		{ "512M", 1, 512ULL << 20 }, { "512MiB", 1, 512ULL << 20 },
		{ "2G", 1, 2ULL << 30 }, { "2g", 1, 2ULL << 30 }, { "1T", 1, 1ULL << 40 },
		{ "16777215T", 1, 16777215ULL << 40 }, { "16777216T", 0, 0 },
		{ "18446744073709551615", 1, UINT64_MAX }, { "18446744073709551616", 0, 0 },
		{ "", 0, 0 }, { "G", 0, 0 }, { "-1M", 0, 0 }, { "1.5G", 0, 0 },
		{ "1GB", 0, 0 }, { "1Gi", 0, 0 }, { "1 G", 0, 0 }, { "1P", 0, 0 },
		{ "1MiBx", 0, 0 }, { " 1M", 0, 0 }, { "+1M", 0, 0 },
	};
	char why[128];
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_size(cases[i].s, &v);

		CHECK((r == 0) == cases[i].ok, "parse_size(\"%s\") = %d", cases[i].s, r);
		if (!r && cases[i].ok)
			CHECK(v == cases[i].v, "parse_size(\"%s\") gave %" PRIu64, cases[i].s, v);
	}
	CHECK(!check_size(1 << 20, why, sizeof(why)), "1 MiB refused: %s", why);
	CHECK(!check_size(64ULL << 30, why, sizeof(why)), "64 GiB refused: %s", why);
	CHECK(check_size(0, why, sizeof(why)) && strstr(why, "too small"), "0: %s", why);
	CHECK(check_size((1 << 20) - 4096, why, sizeof(why)) && strstr(why, "too small"),
	      "1 MiB - 4 KiB: %s", why);
	CHECK(check_size((1 << 20) + 512, why, sizeof(why)) && strstr(why, "page size"),
	      "odd size: %s", why);
	CHECK(check_size(1ULL << 60, why, sizeof(why)) && strstr(why, "more than"),
	      "2^60: %s", why);
}

static char *slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n < 0 ? NULL : buf;
}

struct conf_args {
	const char *path;
	struct swap_conf c;
	int ret;
};

static int run_conf_load(void *a)
{
	struct conf_args *ca = a;

	return conf_load(ca->path, &ca->c);
}

/* conf_load of @text, stderr in @err.  Returns conf_load's result. */
static int load_text(const char *text, struct conf_args *ca, char *err, size_t errlen)
{
	static char path[PATH_MAX];
	char out[256];

	tpath(path, sizeof(path), "t.conf");
	write_file(path, text);
	ca->path = path;
	return capture(run_conf_load, ca, out, sizeof(out), err, errlen);
}

static void test_conf(void)
{
	static const struct {
		const char *text, *err;	/* err NULL: must load */
	} bad[] = {
		{ "SIZE=1G\n", "SWAPFILE is not set" },
		{ "", "SWAPFILE is not set" },
		{ "SWAPFILE=var/swap\n", ":1: SWAPFILE must be an absolute path" },
		{ "SWAPFILE=\n", ":1: SWAPFILE must be an absolute path" },
		{ "\n# c\nSWAPFILE=/a\nSWAP=/b\n", ":4: unknown key 'SWAP'" },
		{ "swapfile=/a\n", ":1: unknown key 'swapfile'" },
		{ "SWAPFILE = /a\n", ":1: not KEY=VALUE" },
		{ "SWAPFILE =/a\n", ":1: not KEY=VALUE" },
		{ "SWAPFILE= /a\n", ":1: SWAPFILE: bad value" },
		{ "SWAPFILE=/a b\n", ":1: SWAPFILE: bad value" },
		{ "SWAPFILE=/a\nSWAPFILE=/b\n", ":2: SWAPFILE is set twice" },
		{ "export SWAPFILE=/a\n", ":1: not KEY=VALUE" },
		{ "SWAPFILE\n", ":1: not KEY=VALUE" },
		{ "=/a\n", ":1: not KEY=VALUE" },
		{ "SWAPFILE=/a/$HOST\n", "bad value" },
		{ "SWAPFILE=\"/a/$HOST\"\n", "bad value" },
		{ "SWAPFILE=/a/`hostname`\n", "bad value" },
		{ "SWAPFILE=/a;reboot\n", "bad value" },
		{ "SWAPFILE=\"/a\n", "bad value" },
		{ "SWAPFILE='/a\n", "bad value" },
		{ "SWAPFILE=/a\\ b\n", "bad value" },
		{ "SWAPFILE=/a\nSIZE=1X\n", ":2: SIZE '1X': give bytes" },
		{ "SWAPFILE=/a\nSIZE=1000\n", ":2: SIZE '1000': 1000 bytes is not a multiple" },
		{ "SWAPFILE=/a\nSIZE=512K\n", ":2: SIZE '512K': 524288 bytes is too small" },
		{ "SWAPFILE=/a\nPRIORITY=-1\n", ":2: PRIORITY '-1': give a number 0..32767" },
		{ "SWAPFILE=/a\nPRIORITY=32768\n", ":2: PRIORITY '32768'" },
		{ "SWAPFILE=/a\nINITRAMFS=true\n", ":2: INITRAMFS 'true': give yes or no" },
		{ "SWAPFILE=/a\nINITRAMFS=YES\n", "give yes or no" },
		{ "SWAPFILE=/a\nINITRAMFS=yes#x\n", "INITRAMFS 'yes#x'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=16M\n",
		  ":2: MIN_FREE_KBYTES '16M': give a number of kB, 0..4194304" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=-1\n", ":2: MIN_FREE_KBYTES '-1': give a number" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=4194305\n", ":2: MIN_FREE_KBYTES '4194305'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=99999999999999999999\n",
		  ":2: MIN_FREE_KBYTES '99999999999999999999'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=016384\n", ":2: MIN_FREE_KBYTES '016384'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=+16384\n", ":2: MIN_FREE_KBYTES '+16384'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=1.5\n", ":2: MIN_FREE_KBYTES '1.5'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=auto\n", ":2: MIN_FREE_KBYTES 'auto'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=' 1'\n", ":2: MIN_FREE_KBYTES ' 1'" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=1 2\n", ":2: MIN_FREE_KBYTES: bad value" },
		{ "SWAPFILE=/a\nMIN_FREE_KBYTES=1\nMIN_FREE_KBYTES=2\n",
		  ":3: MIN_FREE_KBYTES is set twice" },
		{ "SWAPFILE=/a\nMIN_FREE=1\n",
		  "unknown key 'MIN_FREE' (known: SWAPFILE, SIZE, PRIORITY, INITRAMFS, "
		  "MIN_FREE_KBYTES, ENCRYPT)" },
		{ "SWAPFILE=/a\nENCRYPT=maybe\n", ":2: ENCRYPT 'maybe': give yes or no" },
		{ "SWAPFILE=/a\nENCRYPT=YES\n", ":2: ENCRYPT 'YES': give yes or no" },
		{ "SWAPFILE=/a\nENCRYPT=1\n", ":2: ENCRYPT '1'" },
		{ "SWAPFILE=/a\nENCRYPT=yes\nENCRYPT=no\n", ":3: ENCRYPT is set twice" },
	};
	char err[4096], big[PATH_MAX + 600];
	struct conf_args ca;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = load_text(bad[i].text, &ca, err, sizeof(err));
		CHECK(r == -1 && strstr(err, bad[i].err) && strstr(err, "t.conf"),
		      "bad config %zu ('%s'): ret %d err '%s'", i, bad[i].text, r, err);
	}

	/* The shipped example loads, and says what the README says. */
	snprintf(big, sizeof(big), "%s", "");
	r = load_text("# comment\n\n  # indented comment\nSWAPFILE=/var/swap/%l\n"
		      "SIZE=1G\nPRIORITY=10\nINITRAMFS=no\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !*err && !strcmp(ca.c.swapfile, "/var/swap/%l") &&
	      ca.c.size == 1ULL << 30 && ca.c.have_prio && ca.c.prio == 10 && !ca.c.initramfs,
	      "plain config: ret %d err '%s'", r, err);

	/* Quotes, blanks, trailing comments; empty values are "not set". */
	r = load_text("\tSWAPFILE='/srv/my swap/%H'   # the file\nSIZE=\"64M\"\n"
		      "PRIORITY=\nINITRAMFS=yes # x\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !strcmp(ca.c.swapfile, "/srv/my swap/%H") &&
	      ca.c.size == 64ULL << 20 && !ca.c.have_prio && ca.c.initramfs,
	      "quoted config: ret %d err '%s' file '%s' size %" PRIu64 " init %d", r, err,
	      ca.c.swapfile, ca.c.size, ca.c.initramfs);
	r = load_text("SWAPFILE=/a\nSIZE=\nPRIORITY=0\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.size == 0 && ca.c.have_prio && ca.c.prio == 0,
	      "empty SIZE, priority 0: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=\"/a b\"#c\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !strcmp(ca.c.swapfile, "/a b"), "\"...\"#c: ret %d '%s'", r, err);
	r = load_text("SWAPFILE=/a\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.have_prio && !ca.c.size && !ca.c.initramfs && !ca.c.have_minfree,
	      "defaults");

	/* MIN_FREE_KBYTES: kB, 0..4194304; empty is "not set". */
	r = load_text("SWAPFILE=/a\nMIN_FREE_KBYTES=16384 # kB\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.have_minfree && ca.c.minfree_kb == 16384,
	      "MIN_FREE_KBYTES=16384: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nMIN_FREE_KBYTES='4194304'\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.have_minfree && ca.c.minfree_kb == 4194304,
	      "MIN_FREE_KBYTES=4194304: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nMIN_FREE_KBYTES=0\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.have_minfree && ca.c.minfree_kb == 0,
	      "MIN_FREE_KBYTES=0: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nMIN_FREE_KBYTES=\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.have_minfree, "MIN_FREE_KBYTES empty: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nMIN_FREE_KBYTES=\"\"\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.have_minfree, "MIN_FREE_KBYTES=\"\": ret %d err '%s'", r, err);
	/* ENCRYPT: yes or no; absent or empty is no. */
	r = load_text("SWAPFILE=/a\nENCRYPT=yes # dm-crypt\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.encrypt, "ENCRYPT=yes: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nENCRYPT='yes'\n", &ca, err, sizeof(err));
	CHECK(r == 0 && ca.c.encrypt, "ENCRYPT='yes': ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nENCRYPT=no\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.encrypt, "ENCRYPT=no: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\nENCRYPT=\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.encrypt, "ENCRYPT empty: ret %d err '%s'", r, err);
	r = load_text("SWAPFILE=/a\n", &ca, err, sizeof(err));
	CHECK(r == 0 && !ca.c.encrypt, "ENCRYPT absent: ret %d err '%s'", r, err);

	/* No newline at the end of the file. */
	r = load_text("SWAPFILE=/a", &ca, err, sizeof(err));
	CHECK(r == 0 && !strcmp(ca.c.swapfile, "/a"), "no final newline: ret %d '%s'", r, err);

	/* A line longer than the buffer. */
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "SWAPFILE=/", 10);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	r = load_text(big, &ca, err, sizeof(err));
	CHECK(r == -1 && strstr(err, ":1: line too long"), "long line: '%s'", err);

	/* No file at all: say what to do. */
	{
		char out[256];

		ca.path = "/nonexistent/netvm-swap.conf";
		r = capture(run_conf_load, &ca, out, sizeof(out), err, sizeof(err));
		CHECK(r == -1 && strstr(err, "no such file: write one"), "missing: '%s'", err);
	}
}

struct name_args {
	const char *tmpl;
	char out[PATH_MAX];
	size_t len;
};

static int run_swapfile(void *a)
{
	struct name_args *na = a;

	return conf_swapfile(na->tmpl, na->out, na->len);
}

static void test_swapfile_name(void)
{
	static const struct {
		const char *host, *tmpl, *want, *err;
	} cases[] = {
		{ "pc12.school.lan", "/var/swap/%l", "/var/swap/pc12", NULL },
		{ "pc12.school.lan", "/var/swap/%H", "/var/swap/pc12.school.lan", NULL },
		{ "pc12", "/s/%l-%H.swap", "/s/pc12-pc12.swap", NULL },
		{ "pc12", "/s/100%%", "/s/100%", NULL },
		{ "pc12", "/s/%%H", "/s/%H", NULL },
		{ "localhost", "/s/plain", "/s/plain", NULL },
		{ "pc12", "/s/%h", NULL, "unknown %h" },
		{ "pc12", "/s/%", NULL, "unknown %" },
		{ "localhost", "/s/%H", NULL, "host name is 'localhost'" },
		{ "localhost.localdomain", "/s/%H", NULL, "every such client" },
		{ "(none)", "/s/%l", NULL, "host name is '(none)'" },
		{ "", "/s/%l", NULL, "host name is ''" },
		{ ".lan", "/s/%l", NULL, "every such client" },
		{ "a/b", "/s/%H", NULL, "cannot be part of a path" },
		{ "..", "/s/%H", NULL, "host name is '..'" },
		{ "a..", "/s/%H", "/s/a..", NULL },
	};
	char out[256], err[4096];
	struct name_args na;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("NFSSWAP_HOSTNAME", cases[i].host, 1);
		na.tmpl = cases[i].tmpl;
		na.len = sizeof(na.out);
		r = capture(run_swapfile, &na, out, sizeof(out), err, sizeof(err));
		if (cases[i].want)
			CHECK(r == 0 && !strcmp(na.out, cases[i].want) && !*err,
			      "%s on %s: ret %d '%s' err '%s'", cases[i].tmpl, cases[i].host, r,
			      na.out, err);
		else
			CHECK(r == -1 && strstr(err, cases[i].err),
			      "%s on %s: ret %d err '%s'", cases[i].tmpl, cases[i].host, r, err);
	}
	/* Too long for the buffer. */
	setenv("NFSSWAP_HOSTNAME", "pc12", 1);
	na.tmpl = "/var/swap/%H";
	na.len = 12;
	r = capture(run_swapfile, &na, out, sizeof(out), err, sizeof(err));
	CHECK(r == -1 && strstr(err, "too long"), "too long: ret %d err '%s'", r, err);
	/* The kernel's host name when the variable is not set. */
	unsetenv("NFSSWAP_HOSTNAME");
	{
		struct utsname u;
		char want[PATH_MAX];

		uname(&u);
		snprintf(want, sizeof(want), "/s/%s", u.nodename);
		na.tmpl = "/s/%H";
		na.len = sizeof(na.out);
		r = capture(run_swapfile, &na, out, sizeof(out), err, sizeof(err));
		CHECK((r == 0 && !strcmp(na.out, want)) ||
		      (r == -1 && strstr(err, "every such client")),
		      "uname: ret %d '%s' err '%s'", r, na.out, err);
	}
}

struct create_args {
	const char *file, *size;
};

static int run_create(void *a)
{
	struct create_args *ca = a;

	return cmd_create(ca->file, ca->size);
}

/* Entries of @dir other than . and .. */
static int count_entries(const char *dir)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* @path is @size bytes, all allocated, all zero. */
static bool zero_file(const char *path, off_t size)
{
	static char buf[1 << 16];
	struct stat st;
	off_t off;
	ssize_t n;
	int fd;
	bool ok;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	ok = st.st_size == size && (off_t)st.st_blocks * 512 >= size;
	for (off = 0; ok && off < size; off += n) {
		size_t j;

		n = pread(fd, buf, sizeof(buf), off);
		if (n <= 0) {
			ok = false;
			break;
		}
		for (j = 0; j < (size_t)n; j++)
			ok = ok && !buf[j];
	}
	close(fd);
	return ok;
}

/* Where SEEK_HOLE finds the first hole of @path (its size if none), or -1. */
static off_t first_hole(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t hole = fd < 0 ? -1 : lseek(fd, 0, SEEK_HOLE);

	if (fd >= 0)
		close(fd);
	return hole;
}

/* create in @dir (a tmpfs when /dev/shm is one, else the test's tmpdir). */
static void test_create_in(const char *dir)
{
	char out[4096], err[4096], f[PATH_MAX], g[PATH_MAX];
	struct create_args ca;
	struct stat st;
	int r;

	fake_system(3);
	snprintf(f, sizeof(f), "%s/a.swap", dir);
	snprintf(g, sizeof(g), "%s/b.swap", dir);
	ca.file = f;

	/* ALLOCATE (fallocate) where the filesystem has it. */
	ca.size = "2M";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "created, 2097152 bytes") && !*err && fk.fallocate_calls == 1,
	      "create 2M in %s: ret %d out '%s' err '%s'", dir, r, out, err);
	CHECK(zero_file(f, 2 << 20), "created file is not 2 MiB of allocated zeros");
	/* Fallocated space never written is a hole to SEEK_HOLE (ext4, XFS). */
	CHECK(first_hole(f) == 2 << 20, "a hole at %lld in the made file",
	      (long long)first_hole(f));
	CHECK(!stat(f, &st) && (st.st_mode & 07777) == 0600, "mode %o", st.st_mode & 07777);
	CHECK(count_entries(dir) == 1, "temporary file left in %s", dir);

	/* Again: kept, not touched. */
	fk.fallocate_calls = 0;
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "exists already, 2097152 bytes") && !fk.fallocate_calls,
	      "create again: ret %d out '%s' err '%s'", r, out, err);

	/* Another size: refused, not touched. */
	ca.size = "4M";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && strstr(err, "exists with 2097152 bytes, not 4194304; not touched"),
	      "create other size: ret %d err '%s'", r, err);
	CHECK(zero_file(f, 2 << 20), "file changed by a refused create");

	/* No ALLOCATE (NFS 3): zeros written. */
	fk.fallocate_errno = EOPNOTSUPP;
	ca.file = g;
	ca.size = "3M";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "created, 3145728 bytes") && !*err,
	      "create by writing zeros: ret %d out '%s' err '%s'", r, out, err);
	CHECK(zero_file(g, 3 << 20), "written file is not 3 MiB of allocated zeros");
	unlink(g);

	/* No space: nothing left behind. */
	fk.fallocate_errno = ENOSPC;
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && strstr(err, "no space left on its filesystem") && access(g, F_OK),
	      "ENOSPC: ret %d err '%s'", r, err);
	CHECK(count_entries(dir) == 1, "ENOSPC left a file in %s", dir);

	/*
	 * ALLOCATE that leaves unwritten space (what SEEK_HOLE on an ext4 or
	 * XFS server calls a hole): the zeros written make the file whole.
	 */
	fk.fallocate_errno = 0;
	fk.fallocate_sparse = true;
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "created, 3145728 bytes") && !*err && zero_file(g, 3 << 20),
	      "sparse ALLOCATE: ret %d out '%s' err '%s'", r, out, err);
	CHECK(first_hole(g) == 3 << 20, "a hole at %lld in the made file",
	      (long long)first_hole(g));
	unlink(g);
	fk.fallocate_sparse = false;

	/* An existing sparse file is not filled in. */
	make_sized(g, 1 << 20);
	ca.size = "1M";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && strstr(err, "has holes") && strstr(err, "not touched") &&
	      !stat(g, &st) && st.st_blocks == 0, "sparse existing: ret %d err '%s'", r, err);
	unlink(g);

	/* Not a regular file; a missing directory; a bad size. */
	ca.file = dir;
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && strstr(err, "is a directory"), "dir: ret %d err '%s'", r, err);
	snprintf(g, sizeof(g), "%s/fifo", dir);
	mkfifo(g, 0600);
	ca.file = g;
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && strstr(err, "not a regular file; not touched"), "fifo: ret %d err '%s'",
	      r, err);
	unlink(g);
	snprintf(g, sizeof(g), "%s/nodir/x", dir);
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && strstr(err, "its directory does not exist (is the NFS share mounted?)"),
	      "no dir: ret %d err '%s'", r, err);
	ca.file = f;
	ca.size = "1000";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && strstr(err, "not a multiple of the page size"), "1000: '%s'", err);
	ca.size = "1.5G";
	r = capture(run_create, &ca, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && strstr(err, "bad size '1.5G'"), "1.5G: '%s'", err);
	unlink(f);
	real_system();
}

static void test_create(void)
{
	char dir[PATH_MAX];
	struct statfs sf;

	tpath(dir, sizeof(dir), "create");
	mkdirs(dir);
	test_create_in(dir);
	/* tmpfs, where the test machines have one. */
	if (!statfs("/dev/shm", &sf) && sf.f_type == TMPFS_MAGIC) {
		snprintf(dir, sizeof(dir), "/dev/shm/nfsswapctl-unit.%d", (int)getpid());
		mkdirs(dir);
		test_create_in(dir);
		rmdir(dir);
	} else {
		printf("skip: /dev/shm is not a tmpfs\n");
		skipped++;
	}
}

struct updown_args {
	const char *conf, *root;
};

static int run_up(void *a)
{
	struct updown_args *u = a;

	return cmd_up(u->conf, u->root);
}

static int run_down(void *a)
{
	return cmd_down(((struct updown_args *)a)->conf);
}

static int run_config(void *a)
{
	struct updown_args *u = a;

	return cmd_config(u->conf, u->root);
}

static void set_swaps(const char *lines)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/swaps", fproc);
	write_file(p, lines);
}

/*
 * The fixture of the up/down tests: a fresh fake system, the share's
 * directory DIR (test path REL), and a configuration CONF (test path NAME)
 * with SWAPFILE=DIR/%l, SIZE=1M and the lines EXTRA.
 */
static void updown_fixture(char *dir, size_t dirlen, char *conf, size_t conflen,
			   const char *rel, const char *name, const char *extra)
{
	char text[PATH_MAX * 2];

	fake_system(3);
	tpath(dir, dirlen, rel);
	mkdirs(dir);
	tpath(conf, conflen, name);
	snprintf(text, sizeof(text), "SWAPFILE=%s/%%l\nSIZE=1M\n%s", dir, extra);
	write_file(conf, text);
}

static void test_up_down(void)
{
	char out[4096], err[4096], conf[1024], text[PATH_MAX * 2], dir[1024];
	char file[PATH_MAX], state[PATH_MAX], p[PATH_MAX], devnode[1024], want[PATH_MAX];
	struct updown_args u = { conf, NULL };
	unsigned char page[4096];
	int r, fd;

	updown_fixture(dir, sizeof(dir), conf, sizeof(conf), "nfs/swap", "netvm-swap.conf",
		       "PRIORITY=7\n");
	snprintf(file, sizeof(file), "%s/pc12", dir);
	snprintf(state, sizeof(state), "%s/netvm-swap/devices", frun);
	snprintf(devnode, sizeof(devnode), "%s/nfsswap3", fdev);
	snprintf(want, sizeof(want), "%s\n", devnode);

	/* config: what up would do. */
	r = capture(run_config, &u, out, sizeof(out), err, sizeof(err));
	snprintf(text, sizeof(text), "swapfile %s/pc12\nsize 1048576\npriority 7\n"
		 "initramfs no\nmin_free_kbytes -\nencrypt no\n", dir);
	CHECK(r == 0 && !strcmp(out, text) && !*err, "config: ret %d out '%s' err '%s'",
	      r, out, err);

	/* up: the file made, attached, signed, swapon with the priority, recorded. */
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !*err, "up: ret %d out '%s' err '%s'", r, out, err);
	CHECK(zero_file(file, 1 << 20), "up: the swap file was not made");
	CHECK(fk.attach_calls == 1 && fk.swapon_calls == 1 &&
	      fk.swapon_flags == (SWAP_FLAG_PREFER | 7), "up: attach %d swapon %d flags %#x",
	      fk.attach_calls, fk.swapon_calls, fk.swapon_flags);
	fd = open(devnode, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
	      swap_header_valid(page, 4096, 1 << 20), "up: signature written");
	if (fd >= 0)
		close(fd);
	CHECK(slurp(state, text, sizeof(text)) && !strcmp(text, "nfsswap3\n"),
	      "up: state '%s'", text);

	/* up again while it is swap: nothing done, the device printed. */
	snprintf(p, sizeof(p), "%s/block/nfsswap3/nfsswap/backing_file", fsys);
	snprintf(text, sizeof(text), "%s\n", file);
	write_file(p, text);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/nfsswap3 partition 1020 0 7\n");
	fk.attach_calls = fk.swapon_calls = 0;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !fk.attach_calls && !fk.swapon_calls,
	      "up when up: ret %d attach %d swapon %d err '%s'", r, fk.attach_calls,
	      fk.swapon_calls, err);

	/* up while attached but not swap (by hand, or a failed run): swapon only. */
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !fk.attach_calls && fk.swapon_calls == 1,
	      "up when attached: ret %d attach %d swapon %d err '%s'", r, fk.attach_calls,
	      fk.swapon_calls, err);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/nfsswap3 partition 1020 0 7\n");

	/* down: swapoff and detach the recorded device, record removed. */
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && fk.swapoff_calls == 1 && fk.detach_calls == 1 &&
	      fk.detach_arg == 3 && access(state, F_OK), "down: ret %d out '%s' err '%s'",
	      r, out, err);

	/* down with no record: the device of the configured file. */
	memset(&fk, 0, sizeof(fk));
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && fk.detach_calls == 1 && fk.detach_arg == 3,
	      "down by backing file: ret %d detach %d err '%s'", r, fk.detach_calls, err);

	/* down at shutdown, while systemd's swap unit runs swapoff too. */
	memset(&fk, 0, sizeof(fk));
	write_file(state, "nfsswap3\n");
	fk.other_swapoff = 3;
	setenv("NFSSWAP_SWAPOFF_WAIT_MS", "5000", 1);
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && fk.swapoff_calls == 3 && fk.detach_calls == 1 &&
	      strstr(err, "another swapoff of it is running; waiting"),
	      "down, concurrent swapoff: ret %d swapoff %d detach %d err '%s'", r,
	      fk.swapoff_calls, fk.detach_calls, err);
	/* ... which never ends: an error, the record kept for another try. */
	memset(&fk, 0, sizeof(fk));
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/nfsswap3 partition 1020 0 7\n");
	write_file(state, "nfsswap3\nnfsswap9\n");
	fk.other_swapoff = 1000000;
	setenv("NFSSWAP_SWAPOFF_WAIT_MS", "400", 1);
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && fk.detach_calls == 0 && strstr(err, "still active swap") &&
	      slurp(state, text, sizeof(text)) && !strcmp(text, "nfsswap3\n"),
	      "down, swapoff never ends: ret %d err '%s' state '%s'", r, err, text);
	setenv("NFSSWAP_SWAPOFF_WAIT_MS", "0", 1);
	/* ... swapoff out of memory: the same. */
	memset(&fk, 0, sizeof(fk));
	fk.swapoff_errno = ENOMEM;
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && strstr(err, "free memory") && !access(state, F_OK),
	      "down, ENOMEM: ret %d err '%s'", r, err);
	unlink(state);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n");

	/* down with nothing up: nothing done. */
	unlink(p);
	memset(&fk, 0, sizeof(fk));
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !*out && !*err && !fk.swapoff_calls && !fk.detach_calls,
	      "down, nothing: ret %d err '%s'", r, err);

	/* up: attach refused; the made file stays, nothing recorded. */
	unlink(file);
	fake_system(3);
	fk.attach_errno = ENODATA;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && strstr(err, "file has holes") && access(state, F_OK),
	      "up, attach refused: ret %d err '%s'", r, err);
	/* up: swapon refused; detached again. */
	fake_system(3);
	fk.swapon_errno = EINVAL;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && fk.detach_calls == 1 && strstr(err, "detached") && access(state, F_OK),
	      "up, swapon refused: ret %d err '%s'", r, err);

	/* up: an existing file of another size is not touched. */
	fake_system(3);
	unlink(file);
	make_sized(file, 2 << 20);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !fk.attach_calls && strstr(err, "exists with 2097152 bytes, not 1048576"),
	      "up, other size: ret %d err '%s'", r, err);
	unlink(file);

	/* up without SIZE and without the file: says how to make it. */
	snprintf(text, sizeof(text), "SWAPFILE=%s/%%l\n", dir);
	write_file(conf, text);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !fk.attach_calls && strstr(err, "SIZE is not set") &&
	      strstr(err, "nfsswapctl create"), "up, no file, no SIZE: ret %d err '%s'", r, err);
	/* up without SIZE and with a file of any size: used as it is. */
	make_sized(file, 2 << 20);
	fd = open(file, O_RDWR);
	CHECK(fd >= 0 && !fallocate(fd, 0, 0, 2 << 20), "fallocate");
	if (fd >= 0)
		close(fd);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && fk.attach_calls == 1 && fk.swapon_calls == 1 && fk.swapon_flags == 0,
	      "up, no SIZE, file there: ret %d err '%s'", r, err);
	unlink(file);

	/* Not on NFS (the share not mounted): nothing made, nothing attached. */
	fake_system(3);
	unsetenv("NFSSWAP_ANY_FS");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !fk.attach_calls && access(file, F_OK) &&
	      strstr(err, "not on NFS") && strstr(err, "is the NFS share mounted?"),
	      "up, not on NFS: ret %d err '%s'", r, err);
	snprintf(text, sizeof(text), "SWAPFILE=%s/nodir/%%l\nSIZE=1M\n", dir);
	write_file(conf, text);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !fk.attach_calls && strstr(err, "No such file or directory: is the NFS"),
	      "up, no directory: ret %d err '%s'", r, err);
	setenv("NFSSWAP_ANY_FS", "1", 1);

	/* Configuration errors: exit 2, nothing done. */
	fake_system(3);
	write_file(conf, "SWAPFILE=/x/%l\nSIZE=1\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && !fk.attach_calls && strstr(err, ":2: SIZE '1'"), "up, bad conf: '%s'", err);
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && strstr(err, ":2: SIZE '1'"), "down, bad conf: '%s'", err);
	write_file(conf, "SWAPFILE=/x/%l\n");
	setenv("NFSSWAP_HOSTNAME", "localhost", 1);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && !fk.attach_calls && strstr(err, "same file"), "up, localhost: '%s'", err);
	/* ... but down with a record needs no configuration. */
	write_file(state, "nfsswap3\n");
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && fk.detach_calls == 1 && access(state, F_OK),
	      "down, record, bad conf: ret %d err '%s'", r, err);
	real_system();
}

/* ---- encrypted swap (dm-crypt) -------------------------------------------- */

static void fake_dm(void)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/mapper", fdev);
	mkdirs(p);
	strcat(p, "/control");
	write_file(p, "");
}

/* Make nfsswap3 held by dm-0, named @name, in the fake sysfs. */
static void fake_holder(const char *name)
{
	char p[PATH_MAX], text[128];

	snprintf(text, sizeof(text), "%s\n", name);
	snprintf(p, sizeof(p), "%s/block/nfsswap3/holders/dm-0/dm", fsys);
	mkdirs(p);
	strcat(p, "/name");
	write_file(p, text);
	snprintf(p, sizeof(p), "%s/block/dm-0/dm", fsys);
	mkdirs(p);
	strcat(p, "/name");
	write_file(p, text);
}

/* Whether @s is "aes-xts-plain64 <128 hex digits> 0 250:3 0 1 sector_size:4096". */
static bool crypt_params_ok(const char *s)
{
	static const char head[] = "aes-xts-plain64 ", tail[] = " 0 250:3 0 1 sector_size:4096";
	size_t i;

	if (strncmp(s, head, strlen(head)))
		return false;
	s += strlen(head);
	for (i = 0; i < 128; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	return !strcmp(s + 128, tail);
}

static int run_status(void *a)
{
	return cmd_status(((struct on_args *)a)->dev);
}

static int run_list(void *a)
{
	(void)a;
	return cmd_list();
}

static void test_crypt(void)
{
	char out[4096], err[4096], params[512], cnode[1024], pnode[1024], want[1200];
	unsigned char key[CRYPT_KEY_BYTES], key2[CRYPT_KEY_BYTES], zero[CRYPT_KEY_BYTES];
	unsigned char page[4096];
	struct on_args o = { 0 };
	struct swap_entry sw;
	unsigned int idx;
	size_t i;
	int r, fd;

	/* The table's parameters, exactly. */
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 4 + 1);
	CHECK(!crypt_params(params, sizeof(params), key, sizeof(key), makedev(250, 3)),
	      "crypt_params");
	CHECK(crypt_params_ok(params) && strlen(params) == 16 + 128 + 29,
	      "crypt_params: '%s'", params);
	CHECK(!strncmp(params, "aes-xts-plain64 0105090d1115191d2125292d3135393d41", 50) &&
	      !strncmp(params + 16 + 120, "f1f5f9fd 0 250:3", 16),
	      "crypt_params key: '%s'", params);
	CHECK(crypt_params(params, 100, key, sizeof(key), makedev(250, 3)) &&
	      crypt_params(params, 16 + 128 + 29, key, sizeof(key), makedev(250, 3)),
	      "crypt_params into a short buffer");
	CHECK(!crypt_params(params, 16 + 128 + 30, key, sizeof(key), makedev(250, 3)),
	      "crypt_params into a buffer just long enough");
	/* Keys: 64 bytes, not zeros, a new one each time. */
	memset(zero, 0, sizeof(zero));
	CHECK(sizeof(key) == 64 && !crypt_key(key, sizeof(key)) &&
	      !crypt_key(key2, sizeof(key2)), "crypt_key");
	CHECK(memcmp(key, zero, sizeof(key)) && memcmp(key, key2, sizeof(key)),
	      "crypt_key: zeros or the same key twice");

	/* DEV of off and status may name the mapping. */
	setenv("NFSSWAP_DEV_ROOT", "/tmp/devroot", 1);
	CHECK(!parse_dev_or_crypt("/dev/mapper/nfsswap3_crypt", &idx) && idx == 3,
	      "/dev/mapper/nfsswap3_crypt");
	CHECK(!parse_dev_or_crypt("/tmp/devroot/mapper/nfsswap12_crypt", &idx) && idx == 12,
	      "devroot/mapper/nfsswap12_crypt");
	CHECK(!parse_dev_or_crypt("nfsswap4_crypt", &idx) && idx == 4, "nfsswap4_crypt");
	CHECK(!parse_dev_or_crypt("/dev/nfsswap5", &idx) && idx == 5, "/dev/nfsswap5");
	CHECK(!parse_dev_or_crypt("6", &idx) && idx == 6, "6");
	CHECK(parse_dev_or_crypt("/dev/mapper/nfsswap3", &idx), "/dev/mapper/nfsswap3");
	CHECK(parse_dev_or_crypt("/dev/mapper/other_crypt", &idx), "/dev/mapper/other_crypt");
	CHECK(parse_dev_or_crypt("/dev/mapper/nfsswap_crypt", &idx), "nfsswap_crypt");
	CHECK(parse_dev_or_crypt("/dev/mapper/nfsswap3_crypt2", &idx), "nfsswap3_crypt2");
	CHECK(parse_dev_or_crypt("3_crypt", &idx), "3_crypt");
	unsetenv("NFSSWAP_DEV_ROOT");

	/* on --encrypt: attach, create, load, resume, signature on the mapping, swapon. */
	fake_system(3);
	fake_dm();
	snprintf(cnode, sizeof(cnode), "%s/mapper/nfsswap3_crypt", fdev);
	snprintf(pnode, sizeof(pnode), "%s/nfsswap3", fdev);
	snprintf(want, sizeof(want), "%s\n", cnode);
	o.file = backing;
	o.encrypt = true;
	o.have_prio = true;
	o.prio = 4;
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !*err, "on --encrypt: ret %d out '%s' err '%s'",
	      r, out, err);
	CHECK(!strcmp(fk.log, "attach create load resume swapon"), "on --encrypt: '%s'",
	      fk.log);
	CHECK(!fk.dm_bad_header && !strcmp(fk.dm_name, "nfsswap3_crypt"),
	      "on --encrypt: request header (name '%s')", fk.dm_name);
	CHECK(crypt_params_ok(fk.dm_params), "on --encrypt: params '%s'", fk.dm_params);
	CHECK(fk.dm_targets == 1 && fk.dm_len == (1 << 20) / 512 && !strcmp(fk.dm_type, "crypt") &&
	      (fk.dm_load_flags & DM_SECURE_DATA_FLAG) && fk.dm_load_size % 8 == 0 &&
	      fk.dm_load_size == sizeof(struct dm_ioctl) + sizeof(struct dm_target_spec) +
				 ((strlen(fk.dm_params) + 8) & ~7u) &&
	      fk.dm_next == fk.dm_load_size - sizeof(struct dm_ioctl),
	      "on --encrypt: table: targets %u len %" PRIu64 " type '%s' flags %#x size %u",
	      fk.dm_targets, fk.dm_len, fk.dm_type, fk.dm_load_flags, fk.dm_load_size);
	CHECK(!strcmp(fk.swapon_path, cnode) && fk.swapon_flags == (SWAP_FLAG_PREFER | 4),
	      "on --encrypt: swapon(%s, %#x)", fk.swapon_path, fk.swapon_flags);
	fd = open(cnode, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
	      swap_header_valid(page, 4096, 1 << 20), "on --encrypt: no signature on the mapping");
	if (fd >= 0)
		close(fd);
	fd = open(pnode, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page) &&
	      !swap_header_valid(page, 4096, 1 << 20), "on --encrypt: signature in clear");
	if (fd >= 0)
		close(fd);
	/* Two attaches, two keys. */
	snprintf(params, sizeof(params), "%s", fk.dm_params);
	fk.log[0] = '\0';
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && crypt_params_ok(fk.dm_params) && strcmp(params, fk.dm_params),
	      "on --encrypt twice: ret %d, the same key", r);

	/* The table refused: mapping removed, device detached. */
	fake_system(3);
	fake_dm();
	fk.dm_fail_req = DM_TABLE_LOAD;
	fk.dm_errno = EINVAL;
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && !strcmp(fk.log, "attach create load remove detach") &&
	      fk.detach_arg == 3, "on --encrypt, load fails: ret %d log '%s'", r, fk.log);
	CHECK(strstr(err, "nfsswap3_crypt: the kernel refused the crypt table: it lacks "
		     "dm-crypt or aes-xts-plain64 (modprobe dm_crypt; see dmesg)") &&
	      strstr(err, "removed the mapping again") && strstr(err, "detached"),
	      "on --encrypt, load fails: err '%s'", err);

	/* Resume refused: the same. */
	fake_system(3);
	fake_dm();
	fk.dm_fail_req = DM_DEV_SUSPEND;
	fk.dm_errno = ENOMEM;
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !strcmp(fk.log, "attach create load resume remove detach") &&
	      strstr(err, "cannot activate the mapping"),
	      "on --encrypt, resume fails: ret %d log '%s' err '%s'", r, fk.log, err);

	/* swapon of the mapping refused: mapping removed, device detached. */
	fake_system(3);
	fake_dm();
	fk.swapon_errno = EINVAL;
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !strcmp(fk.log, "attach create load resume swapon remove detach") &&
	      strstr(err, "removed the mapping again") && access(cnode, F_OK),
	      "on --encrypt, swapon fails: ret %d log '%s' err '%s'", r, fk.log, err);

	/* A mapping of that name exists: not ours, not removed. */
	fake_system(3);
	fake_dm();
	fk.dm_fail_req = DM_DEV_CREATE;
	fk.dm_errno = EEXIST;
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !strcmp(fk.log, "attach create detach") &&
	      strstr(err, "nfsswap3_crypt: a device-mapper mapping of that name exists already"),
	      "on --encrypt, EEXIST: ret %d log '%s' err '%s'", r, fk.log, err);

	/* No device-mapper: say how to load it; detached again. */
	fake_system(3);
	r = capture(run_on, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !strcmp(fk.log, "attach detach") &&
	      strstr(err, "/mapper/control is missing: device-mapper is not loaded: "
		     "modprobe dm_crypt"), "on --encrypt, no dm: ret %d log '%s' err '%s'",
	      r, fk.log, err);

	/* off by the mapping's path: swapoff it, remove it, then detach. */
	fake_system(3);
	fake_dm();
	fk.dm_exists = true;
	make_sized(cnode, 1 << 20);
	for (i = 0; i < 3; i++) {
		o.dev = i == 0 ? "/dev/mapper/nfsswap3_crypt" : i == 1 ? cnode : "nfsswap3";
		fk.log[0] = '\0';
		fk.dm_exists = true;
		make_sized(cnode, 1 << 20);
		r = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
		CHECK(r == 0 && !strcmp(fk.log, "status swapoff remove detach") &&
		      !strcmp(fk.swapoff_path, cnode) && fk.detach_arg == 3 &&
		      access(cnode, F_OK), "off %s: ret %d log '%s' swapoff %s err '%s'", o.dev,
		      r, fk.log, fk.swapoff_path, err);
	}
	/* ... the mapping cannot be removed: still attached. */
	fk.log[0] = '\0';
	fk.dm_exists = true;
	fk.dm_fail_req = DM_DEV_REMOVE;
	fk.dm_errno = EBUSY;
	make_sized(cnode, 1 << 20);
	r = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !strcmp(fk.log, "status swapoff remove") &&
	      strstr(err, "cannot remove the mapping: it is in use"),
	      "off, remove fails: ret %d log '%s' err '%s'", r, fk.log, err);
	/* ... without a mapping: the plain device. */
	fake_system(3);
	fake_dm();
	o.dev = "3";
	r = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(fk.log, "status swapoff detach") &&
	      !strcmp(fk.swapoff_path, pnode), "off, no mapping: ret %d log '%s' err '%s'",
	      r, fk.log, err);
	o.dev = "/dev/mapper/nfsswapx_crypt";
	r = capture(run_off, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && strstr(err, "or /dev/mapper/nfsswapN_crypt"), "off nfsswapx_crypt: '%s'",
	      err);

	/* /proc/swaps names the mapping by its path or as dm-M. */
	fake_system(3);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/mapper/nfsswap3_crypt partition 1020 8 4\n");
	CHECK(!find_swap(3, &sw) && sw.found && sw.mapped && sw.used_kib == 8 && sw.prio == 4,
	      "find_swap /dev/mapper/nfsswap3_crypt");
	CHECK(!find_swap(13, &sw) && !sw.found, "find_swap 13 found nfsswap3_crypt");
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n/dev/dm-0 partition 1020 8 4\n");
	CHECK(!find_swap(3, &sw) && !sw.found, "find_swap: dm-0 of no name");
	fake_holder("nfsswap3_crypt");
	CHECK(!find_swap(3, &sw) && sw.found && sw.mapped, "find_swap /dev/dm-0");
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n/dev/nfsswap3 partition 1020 8 4\n");
	CHECK(!find_swap(3, &sw) && sw.found && !sw.mapped, "find_swap /dev/nfsswap3");

	/* status and list show the mapping. */
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n/dev/dm-0 partition 1020 8 4\n");
	o.dev = "/dev/mapper/nfsswap3_crypt";
	r = capture(run_status, &o, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "  swap_active 1\n  swap_size_kib 1020\n  swap_used_kib 8\n"
		 "  swap_priority 4\n  encrypted %s\n", cnode);
	CHECK(r == 0 && !strncmp(out, "nfsswap3\n", 9) && strlen(out) > strlen(want) &&
	      !strcmp(out + strlen(out) - strlen(want), want),
	      "status, encrypted: ret %d out '%s' err '%s'", r, out, err);
	r = capture(run_list, &o, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "nfsswap3 ? ? ? %s\n", cnode);
	CHECK(r == 0 && !strncmp(out, want, strlen(want)), "list, encrypted: '%s'", out);
	fake_holder("other");
	r = capture(run_list, &o, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strncmp(out, "nfsswap3 ? ? ?\n", 15), "list, held by another: '%s'",
	      out);

	/* The mapping's node is made when udev does not make it. */
	if (geteuid() == 0) {
		struct stat st;
		char p[PATH_MAX];

		fake_system(3);
		sys.node_must_be_blk = true;
		snprintf(p, sizeof(p), "%s/mapper", fdev);
		rmdir(p);
		CHECK(!ensure_crypt_node(3, makedev(1, 3), p, sizeof(p)) && !strcmp(p, cnode) &&
		      !stat(cnode, &st) && S_ISBLK(st.st_mode) && st.st_rdev == makedev(1, 3),
		      "ensure_crypt_node made no block node");
		unlink(cnode);
	} else {
		printf("skip: mknod of the mapping's node needs root\n");
		skipped++;
	}
	real_system();
}

/* up and down with ENCRYPT=yes. */
static void test_crypt_up_down(void)
{
	char out[4096], err[4096], conf[1024], dir[1024], text[PATH_MAX * 2];
	char file[PATH_MAX], p[PATH_MAX], cnode[1024], pnode[1024], want[1200];
	struct updown_args u = { conf, NULL };
	int r;

	updown_fixture(dir, sizeof(dir), conf, sizeof(conf), "nfs/cswap", "crypt.conf",
		       "PRIORITY=7\nENCRYPT=yes\n");
	fake_dm();
	snprintf(file, sizeof(file), "%s/pc12", dir);
	snprintf(cnode, sizeof(cnode), "%s/mapper/nfsswap3_crypt", fdev);
	snprintf(pnode, sizeof(pnode), "%s/nfsswap3", fdev);
	snprintf(want, sizeof(want), "%s\n", cnode);

	r = capture(run_config, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "\nmin_free_kbytes -\nencrypt yes\n") &&
	      !strcmp(strstr(out, "encrypt yes"), "encrypt yes\n"), "config: '%s'", out);

	/* up: made, attached, mapped, swapon on the mapping. */
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !*err &&
	      !strcmp(fk.log, "attach create load resume swapon") &&
	      !strcmp(fk.swapon_path, cnode) && fk.swapon_flags == (SWAP_FLAG_PREFER | 7),
	      "up, ENCRYPT=yes: ret %d out '%s' err '%s' log '%s'", r, out, err, fk.log);

	/* up again, the mapping swap: nothing done. */
	snprintf(p, sizeof(p), "%s/block/nfsswap3/nfsswap/backing_file", fsys);
	snprintf(text, sizeof(text), "%s\n", file);
	write_file(p, text);
	fk.dm_exists = true;
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/mapper/nfsswap3_crypt partition 1020 0 7\n");
	fk.log[0] = '\0';
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !*err && !strcmp(fk.log, "status"),
	      "up when up: ret %d out '%s' err '%s' log '%s'", r, out, err, fk.log);
	/* ... the mapping there but not swap: swapon it. */
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n");
	fk.log[0] = '\0';
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) && !strcmp(fk.log, "status swapon") &&
	      !strcmp(fk.swapon_path, cnode), "up, mapping not swap: ret %d log '%s' err '%s'",
	      r, fk.log, err);
	/* ... attached, no mapping, not swap: mapped and swapon. */
	fk.dm_exists = false;
	unlink(cnode);
	fk.log[0] = '\0';
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(out, want) &&
	      !strcmp(fk.log, "status create load resume swapon"),
	      "up, attached, no mapping: ret %d log '%s' err '%s'", r, fk.log, err);
	/* ... attached, no mapping, the plain device swap: left, with a note. */
	fk.dm_exists = false;
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/nfsswap3 partition 1020 0 7\n");
	fk.log[0] = '\0';
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	snprintf(text, sizeof(text), "%s\n", pnode);
	CHECK(r == 0 && !strcmp(out, text) && !strcmp(fk.log, "status") &&
	      strstr(err, "already swap, unencrypted; it stays so until `nfsswapctl down`"),
	      "up, plain swap: ret %d out '%s' log '%s' err '%s'", r, out, fk.log, err);

	/* down: swapoff the mapping, remove it, detach. */
	fk.dm_exists = true;
	make_sized(cnode, 1 << 20);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n"
		  "/dev/mapper/nfsswap3_crypt partition 1020 0 7\n");
	fk.log[0] = '\0';
	r = capture(run_down, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && !strcmp(fk.log, "status swapoff remove detach") &&
	      !strcmp(fk.swapoff_path, cnode), "down, encrypted: ret %d log '%s' err '%s'",
	      r, fk.log, err);

	/* up, the table refused: the mapping removed, detached, nothing recorded. */
	unlink(p);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n");
	fk.log[0] = '\0';
	fk.dm_fail_req = DM_TABLE_LOAD;
	fk.dm_errno = EINVAL;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	snprintf(p, sizeof(p), "%s/netvm-swap/devices", frun);
	CHECK(r == 1 && !*out && !strcmp(fk.log, "attach create load remove detach") &&
	      strstr(err, "modprobe dm_crypt") && access(p, F_OK),
	      "up, load fails: ret %d log '%s' err '%s'", r, fk.log, err);
	unlink(file);
	real_system();
}

struct root_args {
	const char *root, *file;
};

static int run_check_on_root(void *a)
{
	struct root_args *ra = a;

	return check_on_root(ra->root, ra->file);
}

/* up --root: the initramfs, the root filesystem mounted at DIR. */
static void test_up_root(void)
{
	char out[4096], err[4096], root[1024], p[PATH_MAX], file[PATH_MAX];
	struct updown_args u = { NULL, root };
	int r;

	fake_system(3);
	tpath(root, sizeof(root), "root");
	snprintf(p, sizeof(p), "%s/etc", root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/var/swap", root);
	mkdirs(p);
	snprintf(file, sizeof(file), "%s/var/swap/pc12", root);
	snprintf(p, sizeof(p), "%s/etc/netvm-swap.conf", root);

	write_file(p, "SWAPFILE=/var/swap/%l\nSIZE=1M\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "INITRAMFS is not yes: nothing to do") && !fk.attach_calls &&
	      access(file, F_OK), "up --root, INITRAMFS unset: ret %d out '%s' err '%s'",
	      r, out, err);

	write_file(p, "SWAPFILE=/var/swap/%l\nSIZE=1M\nINITRAMFS=yes\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && fk.attach_calls == 1 && zero_file(file, 1 << 20),
	      "up --root: ret %d out '%s' err '%s'", r, out, err);
	r = capture(run_config, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, file) && strstr(out, "initramfs yes"),
	      "config --root: ret %d out '%s'", r, out);

	/* Another filesystem under the root: not reachable from the initramfs. */
	{
		struct root_args ra = { root, "/proc/self/swap" };

		r = capture(run_check_on_root, &ra, out, sizeof(out), err, sizeof(err));
		CHECK(r == -1 && strstr(err, "not on the root filesystem"),
		      "/proc accepted as on the root: '%s'", err);
		ra.file = file;
		r = capture(run_check_on_root, &ra, out, sizeof(out), err, sizeof(err));
		CHECK(r == 0 && !*err, "the root's own file refused: '%s'", err);
	}
	write_file(p, "SWAPFILE=/nodir/%l\nSIZE=1M\nINITRAMFS=yes\n");
	fk.attach_calls = 0;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !fk.attach_calls && strstr(err, "must be on the root filesystem"),
	      "up --root, no dir: ret %d err '%s'", r, err);
	real_system();
}

/* The fake vm.min_free_kbytes: @val written, or removed if NULL. */
static void set_min_free(const char *val)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/sys/vm", fproc);
	mkdirs(p);
	strcat(p, "/min_free_kbytes");
	if (val)
		write_file(p, val);
	else
		unlink(p);
}

static const char *get_min_free(char *buf, size_t len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/sys/vm/min_free_kbytes", fproc);
	return slurp(p, buf, len) ? buf : "(none)";
}

/* up with MIN_FREE_KBYTES: raised before swapon, never lowered. */
static void test_min_free(void)
{
	char out[4096], err[4096], conf[1024], text[PATH_MAX * 2], dir[1024];
	char want[PATH_MAX], val[64], p[PATH_MAX];
	struct updown_args u = { conf, NULL };
	int r;

	updown_fixture(dir, sizeof(dir), conf, sizeof(conf), "nfs/minfree", "minfree.conf",
		       "MIN_FREE_KBYTES=16384\n");

	/* config shows it. */
	r = capture(run_config, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "\ninitramfs no\nmin_free_kbytes 16384\n") && !*err,
	      "config: ret %d out '%s' err '%s'", r, out, err);

	/* Below: raised, before swapon; one line says so, the device last. */
	set_min_free("1448\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "vm.min_free_kbytes: 1448 -> 16384 kB\n%s/nfsswap3\n", fdev);
	CHECK(r == 0 && !strcmp(out, want) && !*err, "raise: ret %d out '%s' err '%s'", r, out,
	      err);
	CHECK(!strcmp(get_min_free(val, sizeof(val)), "16384\n"), "raise: now '%s'", val);
	CHECK(fk.sysctl_write_calls == 1 && fk.swapon_calls == 1 &&
	      !strcmp(fk.minfree_at_swapon, "16384"), "raise: writes %d swapon %d, at swapon '%s'",
	      fk.sysctl_write_calls, fk.swapon_calls, fk.minfree_at_swapon);

	/* up again while it is swap: still checked (already there). */
	snprintf(p, sizeof(p), "%s/block/nfsswap3/nfsswap/backing_file", fsys);
	snprintf(text, sizeof(text), "%s/pc12\n", dir);
	write_file(p, text);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n/dev/nfsswap3 partition 1020 0 -2\n");
	fk.sysctl_write_calls = fk.swapon_calls = 0;
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "vm.min_free_kbytes: already 16384 kB\n%s/nfsswap3\n", fdev);
	CHECK(r == 0 && !strcmp(out, want) && !fk.sysctl_write_calls && !fk.swapon_calls,
	      "up when up: ret %d out '%s' err '%s'", r, out, err);

	/* Above: never lowered. */
	set_min_free("22528\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "vm.min_free_kbytes: already 22528 kB, not lowered to 16384\n") &&
	      !fk.sysctl_write_calls && !strcmp(get_min_free(val, sizeof(val)), "22528\n"),
	      "not lowered: ret %d out '%s' now '%s'", r, out, val);
	unlink(p);
	set_swaps("Filename\tType\tSize\tUsed\tPriority\n");

	/* Empty: the kernel's value is not even read. */
	fake_system(3);
	snprintf(text, sizeof(text), "SWAPFILE=%s/%%l\nSIZE=1M\nMIN_FREE_KBYTES=\n", dir);
	write_file(conf, text);
	set_min_free(NULL);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	snprintf(want, sizeof(want), "%s/nfsswap3\n", fdev);
	CHECK(r == 0 && !strcmp(out, want) && !*err && fk.swapon_calls == 1 &&
	      !fk.sysctl_write_calls, "empty: ret %d out '%s' err '%s'", r, out, err);
	r = capture(run_config, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 0 && strstr(out, "\nmin_free_kbytes -\n"), "config, empty: '%s'", out);

	/* A write refused: an error, nothing attached, the value unchanged. */
	snprintf(text, sizeof(text), "SWAPFILE=%s/%%l\nSIZE=1M\nMIN_FREE_KBYTES=16384\n", dir);
	write_file(conf, text);
	{
		static const struct {
			int err;
			bool short_write;
			const char *hint;
		} cases[] = {
			{ EACCES, false, "permission denied: it needs root" },
			{ EPERM, false, "permission denied: it needs root" },
			{ EINVAL, false, "the kernel refused the value" },
			{ EROFS, false, "read-only" },
			{ 0, true, NULL },	/* a short write: EIO */
		};
		size_t i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			fake_system(3);
			set_min_free("1448\n");
			fk.sysctl_write_errno = cases[i].err;
			fk.sysctl_write_short = cases[i].short_write;
			r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
			CHECK(r == 1 && !*out && fk.sysctl_write_calls == 1 && !fk.attach_calls &&
			      !fk.swapon_calls &&
			      strstr(err, "/sys/vm/min_free_kbytes: cannot raise vm.min_free_kbytes "
				     "from 1448 to 16384 kB: ") && strstr(err, cases[i].hint ? cases[i].hint : strerror(EIO)) &&
			      strstr(err, "leave MIN_FREE_KBYTES empty in ") && strstr(err, conf) &&
			      !strcmp(get_min_free(val, sizeof(val)), "1448\n"),
			      "write fails (%zu): ret %d out '%s' err '%s'", i, r, out, err);
		}
	}
	/* ... and refused at open (not as root: root may write a 0444 file). */
	fake_system(3);
	set_min_free("1448\n");
	snprintf(p, sizeof(p), "%s/sys/vm/min_free_kbytes", fproc);
	if (geteuid() != 0) {
		chmod(p, 0444);
		r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
		CHECK(r == 1 && !*out && !fk.attach_calls && !fk.sysctl_write_calls &&
		      strstr(err, "from 1448 to 16384 kB: permission denied: it needs root"),
		      "open refused: ret %d err '%s'", r, err);
		chmod(p, 0644);
	} else {
		printf("skip: a read-only min_free_kbytes is writable for root\n");
		skipped++;
	}

	/* Cannot be read: an error, nothing done. */
	set_min_free(NULL);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && !fk.attach_calls &&
	      strstr(err, "min_free_kbytes: cannot read vm.min_free_kbytes: no such file "
		     "(is /proc mounted?)"), "no file: ret %d err '%s'", r, err);
	set_min_free("many\n");
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 1 && !*out && !fk.attach_calls && !fk.sysctl_write_calls &&
	      strstr(err, "cannot read vm.min_free_kbytes: 'many' is not a number"),
	      "not a number: ret %d err '%s'", r, err);

	/* A bad value: a configuration error, nothing read or done. */
	set_min_free("1448\n");
	snprintf(text, sizeof(text), "SWAPFILE=%s/%%l\nSIZE=1M\n\nMIN_FREE_KBYTES=16M\n", dir);
	write_file(conf, text);
	r = capture(run_up, &u, out, sizeof(out), err, sizeof(err));
	CHECK(r == 2 && !*out && !fk.attach_calls && !fk.sysctl_write_calls &&
	      strstr(err, "minfree.conf:4: MIN_FREE_KBYTES '16M': give a number of kB"),
	      "bad value: ret %d err '%s'", r, err);

	/* up --root with INITRAMFS=no: nothing, not even this. */
	{
		struct updown_args ur = { NULL, NULL };
		char root[1024];

		tpath(root, sizeof(root), "minfree-root");
		snprintf(p, sizeof(p), "%s/etc", root);
		mkdirs(p);
		strcat(p, "/netvm-swap.conf");
		write_file(p, "SWAPFILE=/var/swap/%l\nSIZE=1M\nMIN_FREE_KBYTES=16384\n");
		ur.root = root;
		r = capture(run_up, &ur, out, sizeof(out), err, sizeof(err));
		CHECK(r == 0 && strstr(out, "INITRAMFS is not yes") && !strstr(out, "min_free") &&
		      !strcmp(get_min_free(val, sizeof(val)), "1448\n"),
		      "up --root, INITRAMFS=no: ret %d out '%s'", r, out);
	}
	unlink(conf);
	real_system();
}

/* Usage errors of the new commands. */
static void test_main_thin(void)
{
	static const struct {
		int ret;
		const char *err;
		int argc;
		const char *argv[6];
	} cases[] = {
		{ 2, "create: missing FILE and SIZE", 2, { "nfsswapctl", "create" } },
		{ 2, "create: missing SIZE", 3, { "nfsswapctl", "create", "f" } },
		{ 2, "create: too many arguments", 5, { "nfsswapctl", "create", "f", "1M", "x" } },
		{ 2, "bad size '1X'", 4, { "nfsswapctl", "create", "f", "1X" } },
		{ 2, "create: unknown option '-p'", 6, { "nfsswapctl", "create", "f", "1M", "-p", "1" } },
		{ 2, "create: empty argument", 4, { "nfsswapctl", "create", "", "1M" } },
		{ 2, "up: too many arguments", 3, { "nfsswapctl", "up", "f" } },
		{ 2, "--config needs a value", 3, { "nfsswapctl", "up", "--config" } },
		{ 2, "-c needs a value", 3, { "nfsswapctl", "down", "-c" } },
		{ 2, "up: empty value of --config=", 3, { "nfsswapctl", "up", "--config=" } },
		{ 2, "down: unknown option '--root'", 4, { "nfsswapctl", "down", "--root", "/r" } },
		{ 2, "up: --root needs an absolute path", 4, { "nfsswapctl", "up", "--root", "r" } },
		{ 2, "exclude each other", 6,
		  { "nfsswapctl", "up", "--root", "/r", "-c", "/c" } },
		{ 2, "on: unknown option '--config'", 5, { "nfsswapctl", "on", "f", "--config", "c" } },
		{ 2, "up: unknown option '--priority'", 4, { "nfsswapctl", "up", "--priority", "1" } },
		{ 2, "/nonexistent.conf: no such file: write one", 4,
		  { "nfsswapctl", "up", "-c", "/nonexistent.conf" } },
		{ 2, "/nonexistent.conf: no such file", 3,
		  { "nfsswapctl", "config", "--config=/nonexistent.conf" } },
		{ 2, "/nonexistent.conf: no such file", 4,
		  { "nfsswapctl", "down", "--config", "/nonexistent.conf" } },
	};
	char out[4096], err[4096];
	size_t i;
	int j;

	/* No state left by other tests decides down's answer. */
	setenv("NFSSWAP_RUN_ROOT", tmpdir, 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct argv_case c = { cases[i].argc, { NULL } };
		int ret;

		for (j = 0; j < cases[i].argc; j++)
			c.argv[j] = (char *)cases[i].argv[j];
		ret = capture(run_main, &c, out, sizeof(out), err, sizeof(err));
		CHECK(ret == cases[i].ret && !*out && strstr(err, cases[i].err),
		      "thin case %zu (%s): ret %d out '%s' err '%s'", i, cases[i].argv[1], ret,
		      out, err);
	}
	unsetenv("NFSSWAP_RUN_ROOT");
	{
		struct argv_case c = { 2, { "nfsswapctl", "--help" } };

		capture(run_main, &c, out, sizeof(out), err, sizeof(err));
		CHECK(strstr(out, "create FILE SIZE") && strstr(out, "up [--config CONF]") &&
		      strstr(out, "/etc/netvm-swap.conf") && strstr(out, "down"),
		      "--help lacks the thin-client commands: '%s'", out);
	}
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
	test_size();
	test_conf();
	test_swapfile_name();
	test_create();
	test_up_down();
	test_crypt();
	test_crypt_up_down();
	test_up_root();
	test_min_free();
	test_main_thin();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	printf("unit: %d passed, %d failed", passed, failed);
	if (skipped)
		printf(", %d skipped", skipped);
	printf("\n");
	return failed ? 1 : 0;
}
