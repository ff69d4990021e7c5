// SPDX-License-Identifier: GPL-2.0
/*
 * nfsswapctl: attach files on NFS as /dev/nfsswapN block devices (netvm_swap)
 * and swap on them.
 *
 * The kernel interface is include/uapi/nfsswap.h.  The backing file is opened
 * here and handed to the kernel as a descriptor; its path never crosses the
 * interface.  Loading the module is not this tool's job.
 *
 * `on --encrypt` (ENCRYPT=yes for `up`) swaps through a dm-crypt mapping
 * of the device, nfsswapN_crypt, with a key made for it and never stored.
 *
 * For boot scripts (thinclient/): `create` makes a fully allocated swap
 * file, `up` and `down` bring up and take down the swap file named in
 * /etc/netvm-swap.conf; the devices `up` set up are recorded in
 * /run/netvm-swap/devices for `down`.
 *
 * Exit status: 0 success, 1 the operation failed, 2 usage or configuration
 * error.
 *
 * For tests, the roots of the trees read and written can be moved:
 *   NFSSWAP_SYSFS_ROOT (default /sys), NFSSWAP_DEV_ROOT (default /dev),
 *   NFSSWAP_PROC_ROOT (default /proc: swaps, net/netvm, and
 *   sys/vm/min_free_kbytes, which `up` reads and may write),
 *   NFSSWAP_RUN_ROOT (default /run),
 *   NFSSWAP_NODE_WAIT_MS (default 3000: how long to wait for udev to create
 *   /dev/nfsswapN or /dev/mapper/nfsswapN_crypt before mknod), NFSSWAP_BUSY_WAIT_MS (default 2000: how
 *   long detach retries EBUSY on a device that is not swap),
 *   NFSSWAP_SWAPOFF_WAIT_MS (default 1800000: how long `off` waits for a
 *   swapoff of the same device by someone else, e.g. systemd's swap unit at
 *   shutdown), NFSSWAP_HOSTNAME (instead of the kernel's host name; the
 *   initramfs script passes the one DHCP gave), NFSSWAP_ANY_FS (set: `up`
 *   accepts a swap file that is not on NFS).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <linux/dm-ioctl.h>

#include <uapi/nfsswap.h>

#ifndef NFSSWAPCTL_VERSION
#define NFSSWAPCTL_VERSION "unknown"
#endif

#ifndef BLKGETSIZE64
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)
#endif

#define EXIT_OPFAIL 1
#define EXIT_USAGE 2

/* Largest N accepted in nfsswapN: minor numbers are 20 bits. */
#define NFSSWAP_MAX_INDEX 1048575u

/* Swap header (v1) layout, as in the kernel's union swap_header. */
#define SWAP_MAGIC "SWAPSPACE2"
#define SWAP_MAGIC_LEN 10
#define SWAP_OFF_VERSION 1024
#define SWAP_OFF_LAST_PAGE 1028
#define SWAP_OFF_NR_BADPAGES 1032
#define SWAP_OFF_UUID 1036
#define SWAP_OFF_VOLUME 1052
/* mkswap's minimum: the header page and nine more. */
#define SWAP_MIN_PAGES 10

static const char *prog = "nfsswapctl";

/*
 * System calls that change kernel state go through here, so the host-side
 * tests can stand in for a kernel that has the module.
 */
struct nfsswapctl_sys {
	int (*ioctl)(int fd, unsigned long req, unsigned long arg);
	int (*swapon)(const char *path, int flags);
	int (*swapoff)(const char *path);
	int (*fallocate)(int fd, off_t len);
	ssize_t (*sysctl_write)(int fd, const void *buf, size_t len);	/* /proc/sys */
	bool node_must_be_blk;	/* tests use regular files as device nodes */
};

static int real_ioctl(int fd, unsigned long req, unsigned long arg)
{
	return ioctl(fd, req, arg);
}

static int real_swapon(const char *path, int flags)
{
	return swapon(path, flags);
}

static int real_swapoff(const char *path)
{
	return swapoff(path);
}

/* Allocate @len bytes from offset 0; no library emulation (NFS 3). */
static int real_fallocate(int fd, off_t len)
{
	return fallocate(fd, 0, 0, len);
}

static ssize_t real_sysctl_write(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len);
}

static struct nfsswapctl_sys sys = {
	.ioctl = real_ioctl,
	.swapon = real_swapon,
	.swapoff = real_swapoff,
	.fallocate = real_fallocate,
	.sysctl_write = real_sysctl_write,
	.node_must_be_blk = true,
};

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return EXIT_USAGE;
}

static const char *env_root(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

static const char *sysfs_root(void)
{
	return env_root("NFSSWAP_SYSFS_ROOT", "/sys");
}

static const char *dev_root(void)
{
	return env_root("NFSSWAP_DEV_ROOT", "/dev");
}

static const char *proc_root(void)
{
	return env_root("NFSSWAP_PROC_ROOT", "/proc");
}

static const char *run_root(void)
{
	return env_root("NFSSWAP_RUN_ROOT", "/run");
}

/* Milliseconds from @var, 0..86400000, else @def. */
static long env_ms(const char *var, long def)
{
	const char *v = getenv(var);
	char *end;
	long ms;

	if (!v || !*v)
		return def;
	errno = 0;
	ms = strtol(v, &end, 10);
	if (errno || *end || ms < 0 || ms > 86400000)
		return def;
	return ms;
}

/* How long to wait for udev to create /dev/nfsswapN. */
static long node_wait_ms(void)
{
	return env_ms("NFSSWAP_NODE_WAIT_MS", 3000);
}

/* How long detach retries EBUSY on a device that is not swap. */
static long busy_wait_ms(void)
{
	return env_ms("NFSSWAP_BUSY_WAIT_MS", 2000);
}

/* How long off waits for another swapoff of the same device. */
static long swapoff_wait_ms(void)
{
	return env_ms("NFSSWAP_SWAPOFF_WAIT_MS", 1800000);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- parsing ---------------------------------------------------------- */

/* Decimal without sign or leading zeros, at most @max.  0 or -1. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (!*s || (s[0] == '0' && s[1]))
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (max - (unsigned long)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*out = v;
	return 0;
}

/*
 * DEV is /dev/nfsswapN, nfsswapN or N (the dev root may replace /dev).
 * Returns 0 and sets *index, or -1.
 */
static int parse_dev(const char *s, unsigned int *index)
{
	const char *droot = dev_root();
	size_t dlen = strlen(droot);
	unsigned long v;

	if (!strncmp(s, "/dev/", 5))
		s += 5;
	else if (dlen && !strncmp(s, droot, dlen) && s[dlen] == '/')
		s += dlen + 1;
	if (!strncmp(s, NFSSWAP_DISK_NAME, strlen(NFSSWAP_DISK_NAME)))
		s += strlen(NFSSWAP_DISK_NAME);
	if (parse_uint(s, NFSSWAP_MAX_INDEX, &v))
		return -1;
	*index = (unsigned int)v;
	return 0;
}

/* The dm-crypt mapping of nfsswapN is nfsswapN_crypt. */
#define CRYPT_SUFFIX "_crypt"

/*
 * DEV as for parse_dev, or the mapping of nfsswapN:
 * /dev/mapper/nfsswapN_crypt or nfsswapN_crypt.  0 or -1.
 */
static int parse_dev_or_crypt(const char *s, unsigned int *index)
{
	const char *droot = dev_root(), *p = s;
	size_t dlen = strlen(droot), slen, sfx = strlen(CRYPT_SUFFIX);
	char buf[32];

	if (!strncmp(p, "/dev/mapper/", 12))
		p += 12;
	else if (dlen && !strncmp(p, droot, dlen) && !strncmp(p + dlen, "/mapper/", 8))
		p += dlen + 8;
	slen = strlen(p);
	if (slen > sfx && !strcmp(p + slen - sfx, CRYPT_SUFFIX) &&
	    !strncmp(p, NFSSWAP_DISK_NAME, strlen(NFSSWAP_DISK_NAME))) {
		if (slen - sfx >= sizeof(buf))
			return -1;
		snprintf(buf, sizeof(buf), "%.*s", (int)(slen - sfx), p);
		return parse_dev(buf, index);
	}
	if (p != s)
		return -1;
	return parse_dev(s, index);
}

/* Swap priority for swapon(2) with SWAP_FLAG_PREFER: 0..32767. */
static int parse_priority(const char *s, int *prio)
{
	unsigned long v;

	if (parse_uint(s, SWAP_FLAG_PRIO_MASK, &v))
		return -1;
	*prio = (int)v;
	return 0;
}

/* ---- sysfs and /proc ---------------------------------------------------- */

/*
 * Read a small text file: the first line, without its newline.
 * Returns 0 or -errno.
 */
static int read_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	char *nl;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

static int read_attr(unsigned int index, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/block/" NFSSWAP_DISK_NAME "%u/nfsswap/%s",
		 sysfs_root(), index, name);
	return read_line(path, buf, len);
}

/*
 * Write VALUE to queue/NAME of a new device.  A kernel without that
 * attribute (no blk-wbt) is fine.  0 or -1 (reported).
 */
static int set_queue_attr(unsigned int index, const char *name, const char *value,
			  const char *what)
{
	char path[PATH_MAX];
	size_t len = strlen(value);
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/block/" NFSSWAP_DISK_NAME "%u/queue/%s",
		 sysfs_root(), index, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		err = errno;
	} else {
		if (write(fd, value, len) != (ssize_t)len)
			err = errno ? errno : EIO;
		close(fd);
	}
	if (err) {
		msg("%s: cannot %s: %s", path, what, strerror(err));
		return -1;
	}
	return 0;
}

/*
 * Queue settings of a new device:
 * - writeback throttling (blk-wbt) off.  It limits writes in flight by the
 *   device's read latency, which for a network file is always above its
 *   2 ms target, so it would hold swap-out to one or two writes; and a task
 *   it makes wait for a swap write may be the one the NFS client needs to
 *   finish it.
 * - no I/O scheduler (the driver asks for none where the kernel can, not
 *   on 5.10): mq-deadline held swap-in reads behind batches of writes.
 * 0 or -1 (reported).
 */
static int tune_queue(unsigned int index)
{
	if (set_queue_attr(index, "wbt_lat_usec", "0\n", "turn off writeback throttling"))
		return -1;
	return set_queue_attr(index, "scheduler", "none\n", "turn off the I/O scheduler");
}

static bool device_exists(unsigned int index)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/block/" NFSSWAP_DISK_NAME "%u",
		 sysfs_root(), index);
	return stat(path, &st) == 0;
}

/* Size in bytes of the open device (in tests, regular file) @fd.  0 or -1 (reported). */
static int fd_size(int fd, const char *path, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		*size = (uint64_t)st.st_size;
		return 0;
	}
	if (ioctl(fd, BLKGETSIZE64, size)) {
		msg("%s: cannot get the size: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The device of node @path is gone: udev (or devtmpfs) removes the node;
 * one still there after 200 ms was made by us and is removed.  @index >= 0:
 * nfsswapN's node, left alone if a new nfsswapN came meanwhile.
 */
static void node_forget(const char *path, long index)
{
	int i;

	for (i = 0; i < 20 && !access(path, F_OK); i++) {
		if (index >= 0 && device_exists((unsigned int)index))
			break;
		if (i == 10) {
			unlink(path);
			break;
		}
		sleep_ms(20);
	}
}

/* "MAJ:MIN" as in sysfs dev attributes.  0 or -1. */
static int parse_devnum(const char *s, dev_t *dev)
{
	unsigned int ma, mi;
	char extra;

	if (sscanf(s, "%u:%u%c", &ma, &mi, &extra) != 2)
		return -1;
	*dev = makedev(ma, mi);
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* Indices of the devices in /sys/block, sorted.  Count or -errno. */
static int list_devices(unsigned int **out)
{
	char path[PATH_MAX];
	unsigned int *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/block", sysfs_root());
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		size_t plen = strlen(NFSSWAP_DISK_NAME);
		unsigned long idx;

		if (strncmp(de->d_name, NFSSWAP_DISK_NAME, plen) ||
		    parse_uint(de->d_name + plen, NFSSWAP_MAX_INDEX, &idx))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = (unsigned int)idx;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_uint);
	*out = v;
	return (int)n;
}

/* Write @s with blanks, backslashes and control characters as \ooo. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

/* ---- device nodes ------------------------------------------------------- */

static void node_path(unsigned int index, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" NFSSWAP_DISK_NAME "%u", dev_root(), index);
}

static bool node_ok(const char *path, bool know, dev_t want)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	if (!sys.node_must_be_blk)
		return true;
	return S_ISBLK(st.st_mode) && (!know || st.st_rdev == want);
}

/* Wait up to node_wait_ms() for udev to make @path.  Whether it is there. */
static bool node_wait(const char *path, bool know, dev_t want)
{
	long waited, wait = node_wait_ms();

	for (waited = 0;; waited += 50) {
		if (node_ok(path, know, want))
			return true;
		if (waited >= wait)
			return false;
		sleep_ms(50);
	}
}

/* Make the block device node @path for @want.  0 or -1 (reported). */
static int node_make(const char *path, dev_t want)
{
	/* A stale node (wrong type or number) is in the way: replace it. */
	if (unlink(path) && errno != ENOENT) {
		msg("%s: stale device node, cannot remove it: %s", path, strerror(errno));
		return -1;
	}
	if (mknod(path, S_IFBLK | 0660, want)) {
		msg("%s did not appear (no udev?) and cannot be created: %s",
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Wait for udev to create /dev/nfsswapN; without udev, create it from
 * /sys/block/nfsswapN/dev.  Returns 0 or -1 (reported).
 */
static int ensure_node(unsigned int index, char *path, size_t len)
{
	char sysdev[PATH_MAX], buf[64];
	bool know = false;
	dev_t want = 0;

	node_path(index, path, len);
	snprintf(sysdev, sizeof(sysdev), "%s/block/" NFSSWAP_DISK_NAME "%u/dev",
		 sysfs_root(), index);
	if (!read_line(sysdev, buf, sizeof(buf)) && !parse_devnum(buf, &want))
		know = true;
	if (node_wait(path, know, want))
		return 0;
	if (!know) {
		msg("%s did not appear and %s cannot be read; is sysfs mounted?",
		    path, sysdev);
		return -1;
	}
	return node_make(path, want);
}

/* Open /dev/nfsswap-control, creating the node from sysfs if it is missing. */
static int open_control(void)
{
	char path[PATH_MAX], sysdev[PATH_MAX], buf[64];
	dev_t dev;
	int fd;

	snprintf(path, sizeof(path), "%s/" NFSSWAP_CONTROL_NAME, dev_root());
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(sysdev, sizeof(sysdev), "%s/class/misc/" NFSSWAP_CONTROL_NAME "/dev",
			 sysfs_root());
		if (read_line(sysdev, buf, sizeof(buf)) || parse_devnum(buf, &dev)) {
			msg("%s is missing: the netvm_swap module is not loaded; "
			    "load it with `modprobe netvm_swap` and retry", path);
			return -1;
		}
		if (mknod(path, S_IFCHR | 0600, dev) && errno != EEXIST) {
			msg("%s is missing and cannot be created (no udev?): %s",
			    path, strerror(errno));
			return -1;
		}
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			msg("%s: permission denied: nfsswapctl must run as root "
			    "(CAP_SYS_ADMIN)", path);
		else
			msg("%s: %s", path, strerror(errno));
		return -1;
	}
	return fd;
}

/* ---- error hints -------------------------------------------------------- */

static const char *mismatch =
	"nfsswapctl and the loaded netvm_swap do not match; install both from one release";

/* dd command that allocates a file of @size bytes, rounded up to MiB. */
static void dd_hint(char *buf, size_t len, const char *file, long long size)
{
	long long mib = (size + (1 << 20) - 1) >> 20;

	if (mib < 1)
		mib = 1;
	snprintf(buf, len, "dd if=/dev/zero of=%s bs=1M count=%lld", file, mib);
}

/*
 * What to tell the user when NFSSWAP_IOC_ATTACH fails with @err for @file,
 * whose fstat is @st (NULL if unknown).  Returns @buf.
 */
static const char *attach_hint(int err, const char *file, const struct stat *st,
			       char *buf, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	char dd[PATH_MAX + 64], iop[32];
	long long size = st ? (long long)st->st_size : 0;

	switch (err) {
	case EPERM:
		return "permission denied: attaching needs root (CAP_SYS_ADMIN)";
	case EFAULT:
		snprintf(buf, len, "the kernel could not read the request (EFAULT): %s",
			 mismatch);
		return buf;
	case EINVAL:
		if (st && S_ISDIR(st->st_mode))
			return "is a directory: give the path of a swap file";
		if (st && !S_ISREG(st->st_mode))
			return "not a regular file: the backing store must be a regular "
			       "file (on an NFS mount)";
		snprintf(buf, len, "the kernel rejected the request (EINVAL): %s", mismatch);
		return buf;
	case EBADF:
		return "the kernel did not see the file as open for reading and writing "
		       "(EBADF); check that the file and its mount are writable";
	case EISDIR:
		return "is a directory: give the path of a swap file";
	case ERANGE:
		if (st && page > 0 && size % page) {
			snprintf(buf, len, "its size (%lld bytes) is not a multiple of the page "
				 "size (%ld); recreate it in whole MiB and retry, e.g. %s",
				 size, page, (dd_hint(dd, sizeof(dd), file, size), dd));
			return buf;
		}
		if (st && size < NFSSWAP_MIN_SIZE) {
			dd_hint(dd, sizeof(dd), file, NFSSWAP_MIN_SIZE);
			snprintf(buf, len, "too small (%lld bytes): a swap file needs at least "
				 "%d MiB; recreate it bigger and retry, e.g. %s",
				 size, NFSSWAP_MIN_SIZE >> 20, dd);
			return buf;
		}
		snprintf(buf, len, "its size (%lld bytes) is out of the range an nfsswap "
			 "device can address; use a smaller file", size);
		return buf;
	case ENODATA:
		dd_hint(dd, sizeof(dd), file, size);
		snprintf(buf, len, "file has holes; allocate it fully (e.g. %s) and retry", dd);
		return buf;
	case EBUSY:
		return "already attached to an nfsswap device (see `nfsswapctl list`); "
		       "use that device, or `nfsswapctl detach` it first";
	case ETXTBSY:
		return "already in use as a swap file (see /proc/swaps); swapoff it first";
	case EOPNOTSUPP: {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/module/netvm_swap/parameters/io_path",
			 sysfs_root());
		if (read_line(path, iop, sizeof(iop)))
			snprintf(iop, sizeof(iop), "?");
		snprintf(buf, len, "its filesystem cannot carry swap with io_path=%s; "
			 "reload netvm_swap with the other io_path (modprobe -r netvm_swap; "
			 "modprobe netvm_swap io_path=%s) or use a file on NFS",
			 iop, strcmp(iop, "direct") ? "direct" : "swapops");
		return buf;
	}
	case ELOOP:
		return "it lives on an nfsswap device itself: a swap device cannot be "
		       "backed by another one; use a file on the NFS mount";
	case ENOSPC:
		return "no free nfsswap device number; detach the devices you no longer "
		       "use (see `nfsswapctl list`)";
	case ENOMEM:
		return "the kernel is out of memory; free some memory and retry";
	case ENOTTY:
		snprintf(buf, len, "/dev/" NFSSWAP_CONTROL_NAME " does not know "
			 "NFSSWAP_IOC_ATTACH: %s", mismatch);
		return buf;
	default:
		return strerror(err);
	}
}

/* What to tell the user when opening the backing file fails. */
static const char *open_hint(int err, const char *file, char *buf, size_t len)
{
	switch (err) {
	case ENOENT:
		snprintf(buf, len, "no such file; create and allocate it first, e.g. "
			 "dd if=/dev/zero of=%s bs=1M count=512", file);
		return buf;
	case EACCES:
		return "permission denied opening it for reading and writing";
	case EROFS:
		return "on a read-only filesystem: a swap file must be writable";
	case EISDIR:
		return "is a directory: give the path of a swap file";
	case ETXTBSY:
		return "busy: attached to an nfsswap device or in use as swap "
		       "(see `nfsswapctl list` and /proc/swaps)";
	default:
		return strerror(err);
	}
}

static const char *detach_hint(int err)
{
	switch (err) {
	case EPERM:
		return "permission denied: detaching needs root (CAP_SYS_ADMIN)";
	case ENXIO:
		return "no such device (see `nfsswapctl list`)";
	case EBUSY:
		return "device is in use (active swap?); `nfsswapctl off DEV` swaps off "
		       "and detaches";
	case ENOTTY:
		return "/dev/" NFSSWAP_CONTROL_NAME " does not know NFSSWAP_IOC_DETACH: "
		       "nfsswapctl and the loaded netvm_swap do not match";
	default:
		return strerror(err);
	}
}

static const char *swapon_hint(int err)
{
	switch (err) {
	case EPERM:
		return "permission denied (swapon needs root), or the kernel's maximum "
		       "number of swap areas is in use (see /proc/swaps)";
	case EINVAL:
		return "the kernel rejected the swap area (bad swap signature?)";
	case EBUSY:
		return "already in use as swap (see /proc/swaps)";
	case ENOMEM:
		return "not enough memory to set up the swap area";
	default:
		return strerror(err);
	}
}

static const char *swapoff_hint(int err)
{
	switch (err) {
	case EPERM:
		return "permission denied: swapoff needs root";
	case ENOMEM:
		return "not enough memory to bring the swapped-out pages back in; "
		       "free memory (or add other swap) and retry";
	default:
		return strerror(err);
	}
}

/* ---- swap header -------------------------------------------------------- */

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Pages of a swap area of @size bytes, or 0 if too small or too large. */
static uint64_t swap_pages(uint64_t size, size_t pagesz)
{
	uint64_t pages = size / pagesz;

	if (pages < SWAP_MIN_PAGES || pages - 1 > UINT32_MAX)
		return 0;
	return pages;
}

/* Whether @page holds a v1 swap header that spans exactly @size bytes. */
static bool swap_header_valid(const unsigned char *page, size_t pagesz, uint64_t size)
{
	uint64_t pages = swap_pages(size, pagesz);

	return pages &&
	       !memcmp(page + pagesz - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN) &&
	       get_u32(page + SWAP_OFF_VERSION) == 1 &&
	       get_u32(page + SWAP_OFF_LAST_PAGE) == pages - 1 &&
	       get_u32(page + SWAP_OFF_NR_BADPAGES) == 0;
}

static void make_uuid(unsigned char uuid[16])
{
	ssize_t n = getrandom(uuid, 16, GRND_NONBLOCK);

	if (n != 16) {
		/* No entropy yet (early boot): a UUID need not be secret. */
		struct timespec ts;
		uint64_t x;
		int i;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
		    ((uint64_t)getpid() << 32);
		for (i = 0; i < 16; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			uuid[i] = (unsigned char)(x >> 24);
		}
	}
	uuid[6] = (uuid[6] & 0x0f) | 0x40;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

/* Build the v1 header page for a swap area of @size bytes.  0 or -1. */
static int swap_header_build(unsigned char *page, size_t pagesz, uint64_t size,
			     const unsigned char uuid[16])
{
	uint64_t pages = swap_pages(size, pagesz);

	if (!pages)
		return -1;
	memset(page, 0, pagesz);
	put_u32(page + SWAP_OFF_VERSION, 1);
	put_u32(page + SWAP_OFF_LAST_PAGE, (uint32_t)(pages - 1));
	put_u32(page + SWAP_OFF_NR_BADPAGES, 0);
	memcpy(page + SWAP_OFF_UUID, uuid, 16);
	memcpy(page + pagesz - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);
	return 0;
}

/*
 * Give @dev a swap signature unless it has a valid one.
 * Returns 1 if written, 0 if kept, -1 on error (reported).
 */
static int ensure_swap_header(const char *dev)
{
	size_t pagesz = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char uuid[16], *page;
	uint64_t size = 0;
	ssize_t n;
	int fd, ret = -1;

	fd = open(dev, O_RDWR | O_CLOEXEC | O_EXCL);
	if (fd < 0) {
		msg("%s: cannot open: %s", dev, strerror(errno));
		return -1;
	}
	if (fd_size(fd, dev, &size))
		goto out;
	page = calloc(1, pagesz);
	if (!page) {
		msg("out of memory");
		goto out;
	}
	n = pread(fd, page, pagesz, 0);
	if (n != (ssize_t)pagesz) {
		msg("%s: cannot read the first page: %s", dev,
		    n < 0 ? strerror(errno) : "short read");
		goto out_free;
	}
	if (swap_header_valid(page, pagesz, size)) {
		ret = 0;
		goto out_free;
	}
	make_uuid(uuid);
	if (swap_header_build(page, pagesz, size, uuid)) {
		msg("%s: %" PRIu64 " bytes is too small for a swap area (at least %d pages)",
		    dev, size, SWAP_MIN_PAGES);
		goto out_free;
	}
	n = pwrite(fd, page, pagesz, 0);
	if (n != (ssize_t)pagesz) {
		msg("%s: cannot write the swap signature: %s", dev,
		    n < 0 ? strerror(errno) : "short write");
		goto out_free;
	}
	if (fsync(fd)) {
		msg("%s: cannot write the swap signature (fsync): %s", dev, strerror(errno));
		goto out_free;
	}
	ret = 1;
out_free:
	free(page);
out:
	close(fd);
	return ret;
}

/* ---- encrypted swap (dm-crypt) ------------------------------------------ */

/*
 * With --encrypt (ENCRYPT=yes), nfsswapN gets a device-mapper mapping,
 * nfsswapN_crypt: one dm-crypt target over all of it, aes-xts-plain64 with
 * a 512-bit key (AES-256-XTS) from getrandom(), made for this attach and
 * never stored or shown, 4 KiB crypto sectors.  Swap is on the mapping, so
 * only ciphertext reaches the server.  The device-mapper ioctls are used
 * directly: no cryptsetup, which an initramfs may not have.
 */
#define CRYPT_CIPHER "aes-xts-plain64"
#define CRYPT_KEY_BYTES 64
#define CRYPT_SECTOR 4096

/* An ioctl buffer: the header, then the table of DM_TABLE_LOAD. */
union dm_buf {
	struct dm_ioctl io;
	unsigned char raw[4096];
};

static void crypt_name(unsigned int index, char *buf, size_t len)
{
	snprintf(buf, len, NFSSWAP_DISK_NAME "%u" CRYPT_SUFFIX, index);
}

static void crypt_node_path(unsigned int index, char *buf, size_t len)
{
	snprintf(buf, len, "%s/mapper/" NFSSWAP_DISK_NAME "%u" CRYPT_SUFFIX,
		 dev_root(), index);
}

/* Whether the block device /sys/block/@dm is nfsswapN's mapping. */
static bool dm_is_crypt_of(const char *dm, unsigned int index)
{
	char path[PATH_MAX], name[DM_NAME_LEN + 2], want[DM_NAME_LEN];

	snprintf(path, sizeof(path), "%s/block/%s/dm/name", sysfs_root(), dm);
	crypt_name(index, want, sizeof(want));
	return !read_line(path, name, sizeof(name)) && !strcmp(name, want);
}

/*
 * Whether nfsswapN is held by its mapping (sysfs holders: readable without
 * root, unlike /dev/mapper/control).
 */
static bool crypt_mapped(unsigned int index)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/block/" NFSSWAP_DISK_NAME "%u/holders",
		 sysfs_root(), index);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (!strncmp(de->d_name, "dm-", 3))
			found = dm_is_crypt_of(de->d_name, index);
	closedir(d);
	return found;
}

/*
 * The crypt target's parameters for @key over device @dev into @buf:
 * "aes-xts-plain64 KEYHEX 0 MAJ:MIN 0 1 sector_size:4096".  0, or -1 if
 * @len is too small.  The key is hexed here, not through stdio.
 */
static int crypt_params(char *buf, size_t len, const unsigned char *key, size_t keylen,
			dev_t dev)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = strlen(CRYPT_CIPHER " ");
	int r;

	if (len < n + 2 * keylen + 1)
		return -1;
	memcpy(buf, CRYPT_CIPHER " ", n);
	for (i = 0; i < keylen; i++) {
		buf[n++] = hex[key[i] >> 4];
		buf[n++] = hex[key[i] & 15];
	}
	r = snprintf(buf + n, len - n, " 0 %u:%u 0 1 sector_size:%d", major(dev),
		     minor(dev), CRYPT_SECTOR);
	if (r < 0 || (size_t)r >= len - n) {
		explicit_bzero(buf, len);
		return -1;
	}
	return 0;
}

/*
 * A fresh key from the kernel's random generator (at early boot this waits
 * until it is seeded).  0 or -1 (reported).
 */
static int crypt_key(unsigned char *key, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = getrandom(key + got, len - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			msg("getrandom: cannot make a key: %s", n < 0 ? strerror(errno) :
			    "no bytes");
			explicit_bzero(key, len);
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* Size in bytes of the device (or, in tests, regular file) @path.  0 or -1. */
static int node_size(const char *path, uint64_t *size)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	ret = fd_size(fd, path, size);
	close(fd);
	return ret;
}

/*
 * Open <dev root>/mapper/control, making the node from sysfs if udev did
 * not.  Returns the descriptor or -errno; errors are reported, except that
 * device-mapper is not loaded (-ENOENT) unless @must.
 */
static int dm_open_control(bool must)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], sysdev[PATH_MAX], buf[64];
	dev_t dev;
	int fd, err;

	snprintf(dir, sizeof(dir), "%s/mapper", dev_root());
	snprintf(path, sizeof(path), "%s/control", dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(sysdev, sizeof(sysdev), "%s/class/misc/device-mapper/dev",
			 sysfs_root());
		if (read_line(sysdev, buf, sizeof(buf)) || parse_devnum(buf, &dev)) {
			if (must)
				msg("%s is missing: device-mapper is not loaded: "
				    "modprobe dm_crypt", path);
			return -ENOENT;
		}
		if ((mkdir(dir, 0755) && errno != EEXIST) ||
		    (mknod(path, S_IFCHR | 0600, dev) && errno != EEXIST)) {
			err = errno;
			msg("%s is missing and cannot be created (no udev?): %s", path,
			    strerror(err));
			return -err;
		}
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		err = errno;
		if (err == EACCES || err == EPERM)
			msg("%s: permission denied: nfsswapctl must run as root "
			    "(CAP_SYS_ADMIN)", path);
		else
			msg("%s: %s", path, strerror(err));
		return -err;
	}
	return fd;
}

/* A request about mapping @name; @size bytes of @b are passed. */
static void dm_init(union dm_buf *b, const char *name, uint32_t flags, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->io.version[0] = DM_VERSION_MAJOR;
	b->io.data_size = (uint32_t)size;
	b->io.data_start = sizeof(struct dm_ioctl);
	b->io.flags = flags;
	snprintf(b->io.name, sizeof(b->io.name), "%s", name);
}

/* 0 or errno. */
static int dm_call(int fd, unsigned long req, union dm_buf *b)
{
	return sys.ioctl(fd, req, (unsigned long)b) ? errno : 0;
}

static const char *dm_hint(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied: device-mapper needs root (CAP_SYS_ADMIN)";
	case ENOTTY:
		return "the kernel's device-mapper does not know the request (too old?)";
	default:
		return strerror(err);
	}
}

/*
 * Remove mapping @name (fd @fd of the control device), retrying EBUSY
 * for a moment (udev's probe of a new device), and the node of nfsswapN's
 * mapping if it stays (made by us, without udev).  0 or -1 (reported).
 */
static int dm_remove(int fd, unsigned int index)
{
	char name[DM_NAME_LEN], path[PATH_MAX];
	long waited = 0, wait = busy_wait_ms();
	union dm_buf b;
	int err;

	crypt_name(index, name, sizeof(name));
	for (;;) {
		dm_init(&b, name, 0, sizeof(b.io));
		err = dm_call(fd, DM_DEV_REMOVE, &b);
		if (err != EBUSY || waited >= wait)
			break;
		sleep_ms(100);
		waited += 100;
	}
	if (err && err != ENXIO) {
		msg("%s: cannot remove the mapping: %s", name,
		    err == EBUSY ? "it is in use (active swap?)" : dm_hint(err));
		return -1;
	}
	crypt_node_path(index, path, sizeof(path));
	node_forget(path, -1);
	return 0;
}

/*
 * Whether nfsswapN has its mapping; its device number in @dev.  1, 0 (also
 * when device-mapper is not loaded), or -1 (reported).
 */
static int crypt_find(unsigned int index, dev_t *dev)
{
	char name[DM_NAME_LEN];
	union dm_buf b;
	int fd, err;

	fd = dm_open_control(false);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return -1;
	crypt_name(index, name, sizeof(name));
	dm_init(&b, name, 0, sizeof(b.io));
	err = dm_call(fd, DM_DEV_STATUS, &b);
	close(fd);
	if (err == ENXIO)
		return 0;
	if (err) {
		msg("%s: cannot get the status of the mapping: %s", name, dm_hint(err));
		return -1;
	}
	*dev = (dev_t)b.io.dev;
	return 1;
}

/* Remove nfsswapN's mapping.  0 or -1 (reported). */
static int crypt_remove(unsigned int index)
{
	int fd, ret;

	fd = dm_open_control(true);
	if (fd < 0)
		return -1;
	ret = dm_remove(fd, index);
	close(fd);
	return ret;
}

/*
 * Wait for udev to create the node of nfsswapN's mapping (@dev), else make
 * it.  Its path in @path.  0 or -1 (reported).
 */
static int ensure_crypt_node(unsigned int index, dev_t dev, char *path, size_t len)
{
	char dir[PATH_MAX];

	crypt_node_path(index, path, len);
	if (node_wait(path, true, dev))
		return 0;
	snprintf(dir, sizeof(dir), "%s/mapper", dev_root());
	if (mkdir(dir, 0755) && errno != EEXIST) {
		msg("%s: cannot create it: %s", dir, strerror(errno));
		return -1;
	}
	return node_make(path, dev);
}

/*
 * Load the crypt table into the new mapping of nfsswapN (@backing, @sectors
 * long) and wipe it.  0 or errno (reported).
 */
static int crypt_load(int fd, unsigned int index, dev_t backing, uint64_t sectors)
{
	unsigned char key[CRYPT_KEY_BYTES];
	struct dm_target_spec *spec;
	char name[DM_NAME_LEN], *params;
	union dm_buf b;
	size_t plen;
	int err;

	crypt_name(index, name, sizeof(name));
	if (crypt_key(key, sizeof(key)))
		return EIO;
	/* The kernel wipes its copy of a table loaded with DM_SECURE_DATA_FLAG. */
	dm_init(&b, name, DM_SECURE_DATA_FLAG, 0);
	spec = (struct dm_target_spec *)(b.raw + sizeof(struct dm_ioctl));
	params = (char *)(spec + 1);
	err = crypt_params(params, sizeof(b) - (size_t)((unsigned char *)params - b.raw),
			   key, sizeof(key), backing);
	explicit_bzero(key, sizeof(key));
	if (err) {
		msg("%s: the crypt table is too long", name);
		return ENAMETOOLONG;
	}
	plen = (strlen(params) + 1 + 7) & ~(size_t)7;
	spec->sector_start = 0;
	spec->length = sectors;
	spec->next = (uint32_t)(sizeof(*spec) + plen);
	snprintf(spec->target_type, sizeof(spec->target_type), "crypt");
	b.io.target_count = 1;
	b.io.data_size = (uint32_t)(sizeof(struct dm_ioctl) + sizeof(*spec) + plen);
	err = dm_call(fd, DM_TABLE_LOAD, &b);
	explicit_bzero(&b, sizeof(b));
	if (err == EINVAL)
		msg("%s: the kernel refused the crypt table: it lacks dm-crypt or "
		    CRYPT_CIPHER " (modprobe dm_crypt; see dmesg)", name);
	else if (err)
		msg("%s: cannot load the crypt table: %s", name, dm_hint(err));
	return err;
}

/*
 * Map nfsswapN (node @dev) through dm-crypt with a fresh key as
 * nfsswapN_crypt; the mapping's node in @path.  0 or -1 (reported; a
 * mapping made here is removed again).
 */
static int crypt_setup(unsigned int index, const char *dev, char *path, size_t len)
{
	char name[DM_NAME_LEN], sysdev[PATH_MAX], buf[64];
	dev_t backing, mapped;
	uint64_t size;
	union dm_buf b;
	int fd, err;

	crypt_name(index, name, sizeof(name));
	snprintf(sysdev, sizeof(sysdev), "%s/block/" NFSSWAP_DISK_NAME "%u/dev",
		 sysfs_root(), index);
	if (read_line(sysdev, buf, sizeof(buf)) || parse_devnum(buf, &backing)) {
		msg("%s: cannot read the device number of " NFSSWAP_DISK_NAME "%u; "
		    "is sysfs mounted?", sysdev, index);
		return -1;
	}
	if (node_size(dev, &size))
		return -1;
	/* Whole crypto sectors only. */
	size &= ~(uint64_t)(CRYPT_SECTOR - 1);
	if (!size) {
		msg("%s: too small to encrypt", dev);
		return -1;
	}
	fd = dm_open_control(true);
	if (fd < 0)
		return -1;
	dm_init(&b, name, 0, sizeof(b.io));
	err = dm_call(fd, DM_DEV_CREATE, &b);
	if (err) {
		if (err == EEXIST)
			msg("%s: a device-mapper mapping of that name exists already "
			    "(see `dmsetup ls`); if it is left over, remove it with "
			    "`dmsetup remove %s`", name, name);
		else
			msg("%s: cannot create the mapping: %s", name, dm_hint(err));
		close(fd);
		return -1;
	}
	if (crypt_load(fd, index, backing, size >> 9))
		goto remove;
	/* Resume (flags 0): the loaded table goes live. */
	dm_init(&b, name, 0, sizeof(b.io));
	err = dm_call(fd, DM_DEV_SUSPEND, &b);
	if (err) {
		msg("%s: cannot activate the mapping: %s", name, dm_hint(err));
		goto remove;
	}
	mapped = (dev_t)b.io.dev;
	if (ensure_crypt_node(index, mapped, path, len))
		goto remove;
	close(fd);
	return 0;
remove:
	if (!dm_remove(fd, index))
		msg("%s: removed the mapping again", name);
	close(fd);
	return -1;
}

/* ---- /proc/swaps -------------------------------------------------------- */

struct swap_entry {
	bool found;
	bool mapped;		/* the entry is nfsswapN's mapping */
	unsigned long long size_kib, used_kib;
	long prio;
};

/*
 * Find nfsswapN, or its mapping (/dev/mapper/nfsswapN_crypt, or /dev/dm-M
 * where udev's symlink was resolved), in /proc/swaps.  Returns 0
 * (entry->found says) or -errno.
 */
static int find_swap(unsigned int index, struct swap_entry *e)
{
	char path[PATH_MAX], line[PATH_MAX + 128], name[PATH_MAX], want[32], cwant[48];
	FILE *f;

	memset(e, 0, sizeof(*e));
	snprintf(path, sizeof(path), "%s/swaps", proc_root());
	snprintf(want, sizeof(want), NFSSWAP_DISK_NAME "%u", index);
	crypt_name(index, cwant, sizeof(cwant));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long size, used;
		char type[32];
		const char *base;
		long prio;

		if (sscanf(line, "%4095s %31s %llu %llu %ld", name, type, &size, &used,
			   &prio) != 5)
			continue;
		base = strrchr(name, '/');
		base = base ? base + 1 : name;
		if (!strcmp(base, cwant) ||
		    (!strncmp(base, "dm-", 3) && dm_is_crypt_of(base, index)))
			e->mapped = true;
		else if (strcmp(base, want))
			continue;
		e->found = true;
		e->size_kib = size;
		e->used_kib = used;
		e->prio = prio;
		break;
	}
	fclose(f);
	return 0;
}

/* ---- commands ----------------------------------------------------------- */

static int do_detach(unsigned int index);

/*
 * Attach @file; on success put /dev/nfsswapN in @dev and return N,
 * else report and return -1.  @undo: detach again if the node cannot be had.
 */
static long do_attach(const char *file, char *dev, size_t devlen, bool undo)
{
	struct nfsswap_attach a;
	char hint[PATH_MAX + 256];
	struct stat st;
	int fd, ctl, err;

	fd = open(file, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		msg("%s: %s", file, open_hint(err, file, hint, sizeof(hint)));
		return -1;
	}
	if (fstat(fd, &st)) {
		msg("%s: %s", file, strerror(errno));
		close(fd);
		return -1;
	}
	ctl = open_control();
	if (ctl < 0) {
		close(fd);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.fd = fd;
	if (sys.ioctl(ctl, NFSSWAP_IOC_ATTACH, (unsigned long)&a)) {
		err = errno;
		msg("%s: %s", file, attach_hint(err, file, &st, hint, sizeof(hint)));
		close(ctl);
		close(fd);
		return -1;
	}
	close(ctl);
	close(fd);
	if (a.index > NFSSWAP_MAX_INDEX) {
		msg("the kernel returned device number %u, out of range", a.index);
		return -1;
	}
	if (tune_queue(a.index) || ensure_node(a.index, dev, devlen)) {
		if (undo && !do_detach(a.index)) {
			msg("%s: detached " NFSSWAP_DISK_NAME "%u again", file, a.index);
			return -1;
		}
		msg("%s is attached as " NFSSWAP_DISK_NAME "%u but not ready for swap; "
		    "`nfsswapctl detach %u` undoes it", file, a.index, a.index);
		return -1;
	}
	return a.index;
}

/* Detach nfsswapN.  0 or -1 (reported). */
static int do_detach(unsigned int index)
{
	char path[PATH_MAX];
	int ctl;

	long waited = 0, wait = busy_wait_ms();
	struct swap_entry sw;

	ctl = open_control();
	if (ctl < 0)
		return -1;
	while (sys.ioctl(ctl, NFSSWAP_IOC_DETACH, index)) {
		int err = errno;

		/*
		 * Right after attach, udev may hold the disk open for a moment
		 * (EBUSY): retry briefly, unless the device is swap.
		 */
		find_swap(index, &sw);	/* unreadable /proc/swaps: not found */
		if (err == EBUSY && waited < wait && !sw.found) {
			sleep_ms(100);
			waited += 100;
			continue;
		}
		msg(NFSSWAP_DISK_NAME "%u: %s", index, detach_hint(err));
		close(ctl);
		return -1;
	}
	close(ctl);
	/* udev (or devtmpfs) removes the node; remove one that we made. */
	node_path(index, path, sizeof(path));
	node_forget(path, index);
	return 0;
}

static int cmd_attach(const char *file)
{
	char dev[PATH_MAX];

	if (do_attach(file, dev, sizeof(dev), false) < 0)
		return EXIT_OPFAIL;
	printf("%s\n", dev);
	return 0;
}

static int cmd_detach(const char *arg)
{
	unsigned int index;

	if (parse_dev(arg, &index))
		return usage_error("%s: not a device: give /dev/nfsswapN, nfsswapN or N", arg);
	return do_detach(index) ? EXIT_OPFAIL : 0;
}

static int cmd_list(void)
{
	static const char *const cols[] = { "backing_file", "server", "io_path" };
	unsigned int *idx;
	char val[PATH_MAX];
	int n, i;
	size_t c;

	n = list_devices(&idx);
	if (n < 0) {
		msg("%s/block: %s", sysfs_root(), strerror(-n));
		return EXIT_OPFAIL;
	}
	for (i = 0; i < n; i++) {
		printf(NFSSWAP_DISK_NAME "%u", idx[i]);
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			if (read_attr(idx[i], cols[c], val, sizeof(val)) || !*val)
				snprintf(val, sizeof(val), "?");
			putchar(' ');
			put_escaped(stdout, val);
		}
		if (crypt_mapped(idx[i])) {
			crypt_node_path(idx[i], val, sizeof(val));
			putchar(' ');
			put_escaped(stdout, val);
		}
		putchar('\n');
	}
	free(idx);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const known_attrs[] = {
	"backing_file", "server", "io_path", "read_reqs", "write_reqs",
	"read_bytes", "write_bytes", "in_flight", "errors", "retries",
	"lat_mean_us", "lat_max_us", "readahead_kb", "readahead_hits",
	"readahead_waits", "readahead_reads", "readahead_bytes",
	"readahead_unused", "readahead_served",
	"transport_sockets", "transport_memalloc", "transport_remarks",
};

static bool is_known_attr(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known_attrs) / sizeof(known_attrs[0]); i++)
		if (!strcmp(name, known_attrs[i]))
			return true;
	return false;
}

static void print_attr(unsigned int index, const char *name)
{
	char val[PATH_MAX];

	if (read_attr(index, name, val, sizeof(val)))
		return;
	printf("  %s ", name);
	put_escaped(stdout, val);
	putchar('\n');
}

static int status_one(unsigned int index)
{
	char dir[PATH_MAX], **extra = NULL, **nx;
	size_t i, n = 0, cap = 0;
	struct swap_entry sw;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/block/" NFSSWAP_DISK_NAME "%u/nfsswap",
		 sysfs_root(), index);
	d = opendir(dir);
	if (!d) {
		msg(NFSSWAP_DISK_NAME "%u: %s: %s", index, dir, strerror(errno));
		return -1;
	}
	/* Attributes this tool does not know yet come after the known ones. */
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.' || is_known_attr(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			nx = realloc(extra, cap * sizeof(*extra));
			if (!nx)
				break;
			extra = nx;
		}
		extra[n] = strdup(de->d_name);
		if (!extra[n])
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(extra, n, sizeof(*extra), cmp_str);

	printf(NFSSWAP_DISK_NAME "%u\n", index);
	for (i = 0; i < sizeof(known_attrs) / sizeof(known_attrs[0]); i++)
		print_attr(index, known_attrs[i]);
	for (i = 0; i < n; i++) {
		print_attr(index, extra[i]);
		free(extra[i]);
	}
	free(extra);
	if (!find_swap(index, &sw)) {
		printf("  swap_active %d\n", sw.found);
		if (sw.found)
			printf("  swap_size_kib %llu\n  swap_used_kib %llu\n"
			       "  swap_priority %ld\n", sw.size_kib, sw.used_kib, sw.prio);
	}
	if (crypt_mapped(index)) {
		crypt_node_path(index, dir, sizeof(dir));
		printf("  encrypted ");
		put_escaped(stdout, dir);
		putchar('\n');
	}
	return 0;
}

static int cmd_status(const char *arg)
{
	char path[PATH_MAX], line[1024];
	unsigned int index, *idx = NULL;
	int n, i, ret = 0;
	FILE *f;

	if (arg) {
		if (parse_dev_or_crypt(arg, &index))
			return usage_error("%s: not a device: give /dev/nfsswapN, nfsswapN, N "
					   "or /dev/mapper/nfsswapN_crypt", arg);
		if (!device_exists(index)) {
			msg(NFSSWAP_DISK_NAME "%u: no such device (see `nfsswapctl list`)", index);
			return EXIT_OPFAIL;
		}
		if (status_one(index))
			ret = EXIT_OPFAIL;
	} else {
		n = list_devices(&idx);
		if (n < 0) {
			msg("%s/block: %s", sysfs_root(), strerror(-n));
			return EXIT_OPFAIL;
		}
		for (i = 0; i < n; i++)
			if (status_one(idx[i]))
				ret = EXIT_OPFAIL;
		free(idx);
	}
	snprintf(path, sizeof(path), "%s/net/netvm", proc_root());
	f = fopen(path, "re");
	if (f) {
		printf("netvm\n");
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line)
				printf("  %s\n", line);
		}
		fclose(f);
	}
	return ret;
}

/*
 * Give @dev (nfsswapN or its mapping) a swap signature if it has none and
 * swapon it.  0 or -1.
 */
static int swapon_dev(const char *dev, bool have_prio, int prio)
{
	int flags = 0;

	if (ensure_swap_header(dev) < 0)
		return -1;
	if (have_prio)
		flags = SWAP_FLAG_PREFER |
			((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
	if (sys.swapon(dev, flags)) {
		msg("%s: swapon: %s", dev, swapon_hint(errno));
		return -1;
	}
	return 0;
}

/*
 * Attach @file and swap on it, through its mapping if @encrypt; on failure
 * remove the mapping and detach it again.  Returns N of /dev/nfsswapN or
 * -1 (reported); the device swapped on (/dev/nfsswapN or
 * /dev/mapper/nfsswapN_crypt) in @dev.
 */
static long do_on(const char *file, char *dev, size_t devlen, bool have_prio, int prio,
		  bool encrypt)
{
	char cdev[PATH_MAX];
	long index;

	index = do_attach(file, dev, devlen, true);
	if (index < 0)
		return -1;
	if (encrypt) {
		if (crypt_setup((unsigned int)index, dev, cdev, sizeof(cdev)))
			goto undo;
		if (swapon_dev(cdev, have_prio, prio)) {
			if (!crypt_remove((unsigned int)index))
				msg("%s: removed the mapping again", cdev);
			goto undo;
		}
		snprintf(dev, devlen, "%s", cdev);
	} else if (swapon_dev(dev, have_prio, prio)) {
		goto undo;
	}
	return index;
undo:
	if (!do_detach((unsigned int)index))
		msg("%s: detached %s again", file, dev);
	return -1;
}

static int cmd_on(const char *file, bool have_prio, int prio, bool encrypt)
{
	char dev[PATH_MAX];

	if (do_on(file, dev, sizeof(dev), have_prio, prio, encrypt) < 0)
		return EXIT_OPFAIL;
	printf("%s\n", dev);
	return 0;
}

/*
 * swapoff @dev, the node of nfsswapN or of its mapping.  0 or -1
 * (reported).  A device that is not swap is passed with a note (none if
 * @quiet).
 */
static int swapoff_node(unsigned int index, const char *dev, bool quiet)
{
	long waited = 0, wait = swapoff_wait_ms();
	struct swap_entry sw;
	int err;

	while (sys.swapoff(dev)) {
		err = errno;
		if (err != EINVAL || find_swap(index, &sw)) {
			msg("%s: swapoff: %s", dev, swapoff_hint(err));
			return -1;
		}
		if (!sw.found) {
			if (!waited && !quiet)
				msg("%s was not active swap; detaching it", dev);
			break;
		}
		/*
		 * Still listed: another swapoff of it is bringing its pages
		 * back in (at shutdown, systemd's swap unit for the device).
		 */
		if (waited >= wait) {
			msg("%s: swapoff: another swapoff of it did not finish in %ld s; "
			    "it is still active swap (see /proc/swaps)", dev, wait / 1000);
			return -1;
		}
		if (!waited)
			msg("%s: another swapoff of it is running; waiting for it", dev);
		sleep_ms(200);
		waited += 200;
	}
	return 0;
}

/*
 * swapoff nfsswapN, or its mapping and remove that, then detach it.  0 or
 * -1 (reported).  A device that is not swap is detached with a note (none
 * if @quiet).
 */
static int do_off(unsigned int index, bool quiet)
{
	char dev[PATH_MAX];
	dev_t cdev;
	int r;

	r = crypt_find(index, &cdev);
	if (r < 0)
		return -1;
	if (r) {
		if (ensure_crypt_node(index, cdev, dev, sizeof(dev)) ||
		    swapoff_node(index, dev, quiet) || crypt_remove(index))
			return -1;
	} else if (ensure_node(index, dev, sizeof(dev)) || swapoff_node(index, dev, quiet)) {
		return -1;
	}
	return do_detach(index);
}

static int cmd_off(const char *arg)
{
	unsigned int index;

	if (parse_dev_or_crypt(arg, &index))
		return usage_error("%s: not a device: give /dev/nfsswapN, nfsswapN, N or "
				   "/dev/mapper/nfsswapN_crypt", arg);
	if (!device_exists(index)) {
		msg(NFSSWAP_DISK_NAME "%u: no such device (see `nfsswapctl list`)", index);
		return EXIT_OPFAIL;
	}
	return do_off(index, false) ? EXIT_OPFAIL : 0;
}

/* ---- swap file creation ------------------------------------------------- */

/*
 * SIZE: bytes, or a number with K, M, G or T (KiB, MiB, GiB, TiB: powers of
 * 1024).  0 or -1.
 */
static int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	const char *p = s, *u;
	uint64_t v = 0;
	int shift;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p) {
		u = strchr(units, *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		if (!u)
			return -1;
		shift = 10 * (int)(u - units + 1);
		p++;
		if (!strcmp(p, "iB"))
			p += 2;
		if (*p || v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
	}
	*out = v;
	return 0;
}

/* Whether @size bytes can be a swap file; if not, why in @why.  0 or -1. */
static int check_size(uint64_t size, char *why, size_t len)
{
	size_t pagesz = (size_t)sysconf(_SC_PAGESIZE);

	if (size % pagesz) {
		snprintf(why, len, "%" PRIu64 " bytes is not a multiple of the page size (%zu)",
			 size, pagesz);
		return -1;
	}
	if (size < NFSSWAP_MIN_SIZE) {
		snprintf(why, len, "%" PRIu64 " bytes is too small: a swap file needs at least %d MiB",
			 size, NFSSWAP_MIN_SIZE >> 20);
		return -1;
	}
	if (size > (uint64_t)INT64_MAX || !swap_pages(size, pagesz)) {
		snprintf(why, len, "%" PRIu64 " bytes is more than a swap area can hold", size);
		return -1;
	}
	return 0;
}

/*
 * Whether the existing @file (lstat @st) can be the swap file, of @size
 * bytes unless @size is 0.  0 or -1 (reported; the file is not touched).
 */
static int check_existing(const char *file, const struct stat *st, uint64_t size)
{
	uint64_t alloc = (uint64_t)st->st_blocks * 512;

	if (S_ISDIR(st->st_mode)) {
		msg("%s: is a directory: give the path of a swap file", file);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		msg("%s: exists and is not a regular file; not touched", file);
		return -1;
	}
	if (size && (uint64_t)st->st_size != size) {
		msg("%s: exists with %lld bytes, not %" PRIu64 "; not touched: remove it "
		    "to have it made anew, or use its size", file, (long long)st->st_size, size);
		return -1;
	}
	if (alloc < (uint64_t)st->st_size) {
		msg("%s: exists but has holes (%" PRIu64 " of %lld bytes allocated); not "
		    "touched: remove it and have it made anew", file, alloc,
		    (long long)st->st_size);
		return -1;
	}
	return 0;
}

/*
 * Allocate @size bytes of @fd (named @file in messages) and write zeros to
 * all of them.  Where the filesystem has ALLOCATE (NFS 4.2), the space is
 * reserved first, so that a full server fails here rather than halfway
 * through; the zeros are written in any case (NFS 3 has no ALLOCATE, and an
 * allocated range that was never written reads as a hole to SEEK_HOLE on
 * ext4 and XFS servers: netvm_swap refuses such a file).  They are synced
 * every few MiB: a small client with no swap yet (the file is for it) must
 * not fill its memory with dirty pages (7.2's NFS client ran a 160 MB
 * guest into the OOM killer writing 330 MiB at once).  0 or -1.
 */
static int allocate_file(int fd, const char *file, uint64_t size)
{
	const size_t chunk = 1 << 20;
	uint64_t off, alloc;
	struct stat st;
	char *zeros;
	ssize_t n;
	int err;

	if (sys.fallocate(fd, (off_t)size)) {
		err = errno;
		if (err != EOPNOTSUPP && err != ENOSYS) {
			msg("%s: cannot allocate %" PRIu64 " bytes: %s", file, size,
			    err == ENOSPC ? "no space left on its filesystem (on the server)" :
			    strerror(err));
			return -1;
		}
	}
	zeros = calloc(1, chunk);
	if (!zeros) {
		msg("out of memory");
		return -1;
	}
	for (off = 0; off < size; off += (uint64_t)n) {
		size_t want = size - off < chunk ? (size_t)(size - off) : chunk;

		n = pwrite(fd, zeros, want, (off_t)off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			msg("%s: cannot write zeros at %" PRIu64 " of %" PRIu64 " bytes: %s",
			    file, off, size,
			    err == ENOSPC ? "no space left on its filesystem (on the server)" :
			    strerror(err));
			free(zeros);
			return -1;
		}
		if ((off + (uint64_t)n) % (8 * chunk) == 0 && fdatasync(fd)) {
			msg("%s: cannot write it (fdatasync): %s", file, strerror(errno));
			free(zeros);
			return -1;
		}
	}
	free(zeros);
	if (fsync(fd)) {
		msg("%s: cannot write it (fsync): %s", file, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		msg("%s: %s", file, strerror(errno));
		return -1;
	}
	alloc = (uint64_t)st.st_blocks * 512;
	if ((uint64_t)st.st_size != size || alloc < size) {
		msg("%s: its filesystem kept %" PRIu64 " of %" PRIu64 " bytes allocated "
		    "(size %lld; compression or deduplication on the server?): a swap "
		    "file must be fully allocated", file, alloc, size, (long long)st.st_size);
		return -1;
	}
	return 0;
}

/*
 * Make @file, fully allocated, of @size bytes.  It is made under a
 * temporary name in its directory and linked into place, so nothing is
 * clobbered and no half-made file has the name.  Returns 0 if made, 1 if
 * it exists already as wanted, -1 on error (reported).
 */
static int create_swapfile(const char *file, uint64_t size)
{
	char tmp[PATH_MAX], why[128];
	const char *slash, *base;
	struct stat st;
	int fd, ret, n;

	if (check_size(size, why, sizeof(why))) {
		msg("%s: %s", file, why);
		return -1;
	}
	if (!lstat(file, &st))
		return check_existing(file, &st, size) ? -1 : 1;
	if (errno != ENOENT) {
		msg("%s: %s", file, strerror(errno));
		return -1;
	}
	slash = strrchr(file, '/');
	base = slash ? slash + 1 : file;
	if (!*base) {
		msg("%s: give a file name, not a directory", file);
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", (int)(base - file), file, base);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		msg("%s: the path is too long", file);
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			msg("%s: its directory does not exist (is the NFS share mounted?)", file);
		else
			msg("%s: cannot create a file in its directory: %s", file, strerror(errno));
		return -1;
	}
	ret = allocate_file(fd, file, size);
	if (close(fd) && !ret) {
		msg("%s: cannot write it (close): %s", file, strerror(errno));
		ret = -1;
	}
	if (!ret && link(tmp, file)) {
		if (errno == EEXIST && !lstat(file, &st)) {
			/* Made by someone else meanwhile. */
			ret = check_existing(file, &st, size) ? -1 : 1;
		} else {
			msg("%s: cannot put it in place (link from %s): %s", file, tmp,
			    strerror(errno));
			ret = -1;
		}
	}
	if (unlink(tmp))
		msg("%s: cannot remove the temporary file: %s", tmp, strerror(errno));
	return ret;
}

static int cmd_create(const char *file, const char *size_arg)
{
	char why[128];
	uint64_t size;
	int r;

	if (parse_size(size_arg, &size))
		return usage_error("bad size '%s': give bytes, or a number with K, M, G or T "
				   "(powers of 1024)", size_arg);
	if (check_size(size, why, sizeof(why)))
		return usage_error("bad size '%s': %s", size_arg, why);
	r = create_swapfile(file, size);
	if (r < 0)
		return EXIT_OPFAIL;
	printf("%s: %s, %" PRIu64 " bytes, fully allocated\n", file,
	       r ? "exists already" : "created", size);
	return 0;
}

/* ---- configuration (/etc/netvm-swap.conf) -------------------------------- */

#define CONF_DEFAULT "/etc/netvm-swap.conf"

struct swap_conf {
	char swapfile[PATH_MAX];	/* as written: %H, %l, %% not replaced */
	uint64_t size;			/* 0: never create the file */
	bool have_prio;
	int prio;
	bool initramfs;			/* bring swap up from the initramfs */
	bool have_minfree;
	unsigned long minfree_kb;	/* raise vm.min_free_kbytes to this */
	bool encrypt;			/* swap through dm-crypt, a key per boot */
};

/* Largest MIN_FREE_KBYTES accepted (4 GiB): more is surely a typo. */
#define MINFREE_MAX_KB 4194304ul

/*
 * The value of KEY=VALUE, in place: a word without blanks, quotes, $, `, \
 * or shell operators, or "double" (no $, `, \) or 'single' quoted text;
 * then blanks and an optional comment.  A shell reads it the same way.
 * Returns the value or NULL.
 */
static char *conf_value(char *v)
{
	char *end;

	if (*v == '"' || *v == '\'') {
		end = strchr(v + 1, *v);
		if (!end)
			return NULL;
		*end++ = '\0';
		if (*v++ == '"' && strpbrk(v, "$`\\"))
			return NULL;
	} else {
		end = v + strcspn(v, " \t");
		if (strcspn(v, "\"'$`\\;&|<>(){}*?[]~") < (size_t)(end - v))
			return NULL;
		if (*end)
			*end++ = '\0';
	}
	end += strspn(end, " \t");
	if (*end && *end != '#')
		return NULL;
	return v;
}

/* Read @path into @c.  0 or -1 (reported: path:line: what). */
static int conf_load(const char *path, struct swap_conf *c)
{
	static const char *const keys[] = {
		"SWAPFILE", "SIZE", "PRIORITY", "INITRAMFS", "MIN_FREE_KBYTES", "ENCRYPT",
	};
	enum { NKEYS = sizeof(keys) / sizeof(keys[0]) };
	bool seen[NKEYS] = { false };
	char line[PATH_MAX + 256], why[128];
	int lineno = 0, k;
	FILE *f;

	memset(c, 0, sizeof(*c));
	f = fopen(path, "re");
	if (!f) {
		msg("%s: %s", path, errno == ENOENT ?
		    "no such file: write one (see thinclient/netvm-swap.conf)" :
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *eq, *val;
		size_t len = strlen(line);

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			msg("%s:%d: line too long", path, lineno);
			goto bad;
		}
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (!eq || eq == p || strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "abcdefghijklmnopqrstuvwxyz_0123456789") !=
		    (size_t)(eq - p)) {
			msg("%s:%d: not KEY=VALUE (no blanks around =)", path, lineno);
			goto bad;
		}
		*eq = '\0';
		for (k = 0; k < NKEYS; k++)
			if (!strcmp(p, keys[k]))
				break;
		if (k == NKEYS) {
			msg("%s:%d: unknown key '%s' (known: SWAPFILE, SIZE, PRIORITY, INITRAMFS, "
			    "MIN_FREE_KBYTES, ENCRYPT)", path, lineno, p);
			goto bad;
		}
		if (seen[k]) {
			msg("%s:%d: %s is set twice", path, lineno, p);
			goto bad;
		}
		seen[k] = true;
		val = conf_value(eq + 1);
		if (!val) {
			msg("%s:%d: %s: bad value: one word, or text in '...' (no $, ` or \\)",
			    path, lineno, p);
			goto bad;
		}
		switch (k) {
		case 0:
			if (val[0] != '/') {
				msg("%s:%d: SWAPFILE must be an absolute path (a file on an NFS "
				    "mount)", path, lineno);
				goto bad;
			}
			if (strlen(val) >= sizeof(c->swapfile)) {
				msg("%s:%d: SWAPFILE is too long", path, lineno);
				goto bad;
			}
			strcpy(c->swapfile, val);
			break;
		case 1:
			if (!*val)
				break;
			if (parse_size(val, &c->size)) {
				msg("%s:%d: SIZE '%s': give bytes, or a number with K, M, G or T "
				    "(powers of 1024)", path, lineno, val);
				goto bad;
			}
			if (check_size(c->size, why, sizeof(why))) {
				msg("%s:%d: SIZE '%s': %s", path, lineno, val, why);
				goto bad;
			}
			break;
		case 2:
			if (!*val)
				break;
			if (parse_priority(val, &c->prio)) {
				msg("%s:%d: PRIORITY '%s': give a number 0..32767, or nothing for "
				    "the kernel's default", path, lineno, val);
				goto bad;
			}
			c->have_prio = true;
			break;
		case 3:
			if (!strcmp(val, "yes")) {
				c->initramfs = true;
			} else if (*val && strcmp(val, "no")) {
				msg("%s:%d: INITRAMFS '%s': give yes or no", path, lineno, val);
				goto bad;
			}
			break;
		case 4:
			if (!*val)
				break;
			if (parse_uint(val, MINFREE_MAX_KB, &c->minfree_kb)) {
				msg("%s:%d: MIN_FREE_KBYTES '%s': give a number of kB, 0..%lu, or "
				    "nothing to leave the kernel's value alone", path, lineno, val,
				    MINFREE_MAX_KB);
				goto bad;
			}
			c->have_minfree = true;
			break;
		default:
			if (!strcmp(val, "yes")) {
				c->encrypt = true;
			} else if (*val && strcmp(val, "no")) {
				msg("%s:%d: ENCRYPT '%s': give yes or no", path, lineno, val);
				goto bad;
			}
			break;
		}
	}
	if (ferror(f)) {
		msg("%s: %s", path, strerror(errno));
		goto bad;
	}
	fclose(f);
	if (!seen[0]) {
		msg("%s: SWAPFILE is not set", path);
		return -1;
	}
	return 0;
bad:
	fclose(f);
	return -1;
}

/* The host name for %H: the kernel's, or NFSSWAP_HOSTNAME.  0 or -1. */
static int host_name(char *buf, size_t len)
{
	const char *env = getenv("NFSSWAP_HOSTNAME");
	struct utsname u;

	if (env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (uname(&u)) {
		msg("uname: %s", strerror(errno));
		return -1;
	}
	snprintf(buf, len, "%s", u.nodename);
	return 0;
}

/*
 * SWAPFILE @tmpl with %H (host name), %l (host name up to the first dot)
 * and %% replaced, into @out.  A host name that many clients share
 * (localhost, none) is refused: they would all swap to one file.
 * 0 or -1 (reported).
 */
static int conf_swapfile(const char *tmpl, char *out, size_t len)
{
	char host[HOST_NAME_MAX + 2], shorthost[HOST_NAME_MAX + 2];
	bool have_host = false;
	const char *p, *add;
	size_t n = 0, alen;
	char one[2];

	for (p = tmpl; *p; p++) {
		if (*p != '%') {
			one[0] = *p;
			one[1] = '\0';
			add = one;
		} else if (p[1] == '%') {
			add = "%";
			p++;
		} else if (p[1] == 'H' || p[1] == 'l') {
			if (!have_host) {
				if (host_name(host, sizeof(host)))
					return -1;
				snprintf(shorthost, sizeof(shorthost), "%.*s",
					 (int)strcspn(host, "."), host);
				if (!*shorthost || !strcmp(host, "(none)") ||
				    !strcmp(shorthost, "localhost")) {
					msg("SWAPFILE %s names the host, but the host name is "
					    "'%s': every such client would swap to the same file; "
					    "give this machine its own name (DHCP or "
					    "/etc/hostname) first", tmpl, host);
					return -1;
				}
				if (strchr(host, '/') || !strcmp(host, "..")) {
					msg("the host name '%s' cannot be part of a path", host);
					return -1;
				}
				have_host = true;
			}
			add = *++p == 'H' ? host : shorthost;
		} else {
			msg("SWAPFILE %s: unknown %%%.1s (known: %%H host name, %%l host name "
			    "up to the first dot, %%%% a %%)", tmpl, p + 1);
			return -1;
		}
		alen = strlen(add);
		if (n + alen >= len) {
			msg("SWAPFILE %s: the path is too long", tmpl);
			return -1;
		}
		memcpy(out + n, add, alen);
		n += alen;
	}
	out[n] = '\0';
	return 0;
}

/* ---- devices set up by `up` (/run/netvm-swap/devices) -------------------- */

#define STATE_MAX 64

static void state_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/netvm-swap%s%s", run_root(), *name ? "/" : "", name);
}

/* Indices listed in the state file (nfsswapN lines).  Count or -1. */
static int state_read(unsigned int *idx, int max)
{
	char path[PATH_MAX], line[64];
	unsigned int i;
	int n = 0;
	FILE *f;

	state_path(path, sizeof(path), "devices");
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		msg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < max) {
		line[strcspn(line, "\n")] = '\0';
		if (!parse_dev(line, &i))
			idx[n++] = i;
	}
	fclose(f);
	return n;
}

/* Replace the state file by @idx (none: remove it).  0 or -1 (reported). */
static int state_write(const unsigned int *idx, int n)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;
	int i;

	state_path(path, sizeof(path), "devices");
	if (!n) {
		if (unlink(path) && errno != ENOENT) {
			msg("%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	state_path(dir, sizeof(dir), "");
	state_path(tmp, sizeof(tmp), "devices.new");
	if (mkdir(dir, 0755) && errno != EEXIST) {
		msg("%s: %s", dir, strerror(errno));
		return -1;
	}
	f = fopen(tmp, "we");
	if (!f) {
		msg("%s: %s", tmp, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(f, NFSSWAP_DISK_NAME "%u\n", idx[i]);
	if (fclose(f) || rename(tmp, path)) {
		msg("%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Add nfsswapN to the state file.  0 or -1 (reported). */
static int state_add(unsigned int index)
{
	unsigned int idx[STATE_MAX];
	int n, i;

	n = state_read(idx, STATE_MAX - 1);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (idx[i] == index)
			return 0;
	idx[n++] = index;
	return state_write(idx, n);
}

/* N of the nfsswap device whose backing file is @file (same inode), or -1. */
static long find_attached(const char *file)
{
	struct stat want, st;
	char val[PATH_MAX];
	unsigned int *idx;
	long found = -1;
	int n, i;

	if (stat(file, &want))
		return -1;
	n = list_devices(&idx);
	for (i = 0; i < n && found < 0; i++) {
		if (read_attr(idx[i], "backing_file", val, sizeof(val)) || stat(val, &st))
			continue;
		if (st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			found = idx[i];
	}
	free(idx);
	return found;
}

/* Load @conf and resolve its SWAPFILE into @path.  0 or -1 (reported). */
static int conf_resolve(const char *conf, struct swap_conf *c, char *path, size_t len)
{
	if (conf_load(conf, c))
		return -1;
	return conf_swapfile(c->swapfile, path, len);
}

/*
 * From the initramfs: the swap file must be on the root filesystem,
 * mounted at @root, since the other mounts are not there yet.  0 or -1.
 */
static int check_on_root(const char *root, const char *file)
{
	char dir[PATH_MAX];
	struct stat rst, dst;
	const char *slash = strrchr(file, '/');

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash ? slash - file : 0), file);
	if (stat(root, &rst)) {
		msg("%s: %s", root, strerror(errno));
		return -1;
	}
	if (stat(*dir ? dir : "/", &dst)) {
		msg("%s: %s: the swap file's directory must be on the root filesystem "
		    "to swap from the initramfs", dir, strerror(errno));
		return -1;
	}
	if (rst.st_dev != dst.st_dev) {
		msg("%s: not on the root filesystem (%s): the initramfs cannot reach "
		    "other mounts; set INITRAMFS=no and let netvm-swap.service bring "
		    "it up", file, root);
		return -1;
	}
	return 0;
}

#ifndef NFS_SUPER_MAGIC
#define NFS_SUPER_MAGIC 0x6969
#endif

/*
 * The swap file's directory must be on NFS: when the share is not mounted
 * (yet), the file would be made in the directory under the mount point.
 * 0 or -1 (reported).
 */
static int check_on_nfs(const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX];
	struct statfs sf;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash ? slash - file : 0), file);
	if (statfs(*dir ? dir : "/", &sf)) {
		msg("%s: %s: is the NFS share mounted?", *dir ? dir : "/", strerror(errno));
		return -1;
	}
	if (sf.f_type != NFS_SUPER_MAGIC && !getenv("NFSSWAP_ANY_FS")) {
		msg("%s: not on NFS (filesystem type %#lx): is the NFS share mounted? "
		    "The swap file must be on the NFS server", file, (unsigned long)sf.f_type);
		return -1;
	}
	return 0;
}

/* What to tell the user when writing vm.min_free_kbytes fails with @err. */
static const char *minfree_hint(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied: it needs root";
	case EROFS:
		return "/proc/sys is read-only here (a container?)";
	case EINVAL:
		return "the kernel refused the value";
	default:
		return strerror(err);
	}
}

/*
 * Raise vm.min_free_kbytes to @kb if it is lower; never lower it.  One
 * line on stdout says what was done.  0 or -1 (reported; @conf names the
 * configuration in the message).
 */
static int raise_min_free(unsigned long kb, const char *conf)
{
	char path[PATH_MAX], buf[32];
	unsigned long cur;
	int fd, err = 0, n;

	snprintf(path, sizeof(path), "%s/sys/vm/min_free_kbytes", proc_root());
	err = -read_line(path, buf, sizeof(buf));
	if (err) {
		msg("%s: cannot read vm.min_free_kbytes: %s", path,
		    err == ENOENT ? "no such file (is /proc mounted?)" : strerror(err));
		return -1;
	}
	if (parse_uint(buf, INT_MAX, &cur)) {
		msg("%s: cannot read vm.min_free_kbytes: '%s' is not a number", path, buf);
		return -1;
	}
	if (cur >= kb) {
		if (cur > kb)
			printf("vm.min_free_kbytes: already %lu kB, not lowered to %lu\n", cur, kb);
		else
			printf("vm.min_free_kbytes: already %lu kB\n", cur);
		return 0;
	}
	n = snprintf(buf, sizeof(buf), "%lu\n", kb);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		errno = 0;
		if (sys.sysctl_write(fd, buf, (size_t)n) != n)
			err = errno ? errno : EIO;
		if (close(fd) && !err)
			err = errno;
	}
	if (err) {
		msg("%s: cannot raise vm.min_free_kbytes from %lu to %lu kB: %s; swap over "
		    "the network can stall under memory pressure without it (or leave "
		    "MIN_FREE_KBYTES empty in %s to keep the kernel's value)", path, cur, kb,
		    minfree_hint(err), conf);
		return -1;
	}
	printf("vm.min_free_kbytes: %lu -> %lu kB\n", cur, kb);
	return 0;
}

/*
 * up with the configured file attached as nfsswapN: swap on it (through
 * its mapping if it has one, or a new one with ENCRYPT=yes) unless it is
 * swap already.  The device in @dev.  0 or -1 (reported).
 */
static int up_attached(unsigned int index, const struct swap_conf *c, char *dev,
		       size_t devlen)
{
	char cdev[PATH_MAX];
	struct swap_entry sw;
	dev_t cnum;
	int r;

	r = crypt_find(index, &cnum);
	if (r < 0)
		return -1;
	if (find_swap(index, &sw))
		sw.found = false;
	if (r) {
		if (ensure_crypt_node(index, cnum, dev, devlen))
			return -1;
		return sw.found && sw.mapped ? 0 : swapon_dev(dev, c->have_prio, c->prio);
	}
	if (ensure_node(index, dev, devlen))
		return -1;
	if (sw.found) {
		if (c->encrypt)
			msg("%s: already swap, unencrypted; it stays so until `nfsswapctl "
			    "down` and `nfsswapctl up`", dev);
		return 0;
	}
	if (!c->encrypt)
		return swapon_dev(dev, c->have_prio, c->prio);
	if (crypt_setup(index, dev, cdev, sizeof(cdev)))
		return -1;
	if (swapon_dev(cdev, c->have_prio, c->prio)) {
		if (!crypt_remove(index))
			msg("%s: removed the mapping again", cdev);
		return -1;
	}
	snprintf(dev, devlen, "%s", cdev);
	return 0;
}

/*
 * up: raise vm.min_free_kbytes to MIN_FREE_KBYTES, then swap on the
 * configured file: made if missing (SIZE), attached, mapped through
 * dm-crypt if ENCRYPT=yes, signed, swapon with PRIORITY.  Nothing to do
 * if it is swap already.
 * @root: the initramfs' mount of the root filesystem, or NULL.
 */
static int cmd_up(const char *conf, const char *root)
{
	char confbuf[PATH_MAX], path[PATH_MAX], file[PATH_MAX], dev[PATH_MAX];
	struct swap_conf c;
	struct stat st;
	long index;
	int n;

	if (!conf && root) {
		snprintf(confbuf, sizeof(confbuf), "%s" CONF_DEFAULT, root);
		conf = confbuf;
	} else if (!conf) {
		conf = CONF_DEFAULT;
	}
	if (conf_load(conf, &c))
		return EXIT_USAGE;
	if (root && !c.initramfs) {
		printf("%s: INITRAMFS is not yes: nothing to do in the initramfs\n", conf);
		return 0;
	}
	if (conf_swapfile(c.swapfile, path, sizeof(path)))
		return EXIT_USAGE;
	n = snprintf(file, sizeof(file), "%s%s", root ? root : "", path);
	if (n < 0 || (size_t)n >= sizeof(file)) {
		msg("%s: the path is too long", path);
		return EXIT_OPFAIL;
	}
	if ((root && check_on_root(root, file)) || check_on_nfs(file))
		return EXIT_OPFAIL;
	/*
	 * Before swapon: without the headroom, the network driver's
	 * GFP_ATOMIC receive buffers fail and replies to swap I/O never come.
	 */
	if (c.have_minfree && raise_min_free(c.minfree_kb, conf))
		return EXIT_OPFAIL;

	index = find_attached(file);
	if (index >= 0) {
		if (up_attached((unsigned int)index, &c, dev, sizeof(dev)))
			return EXIT_OPFAIL;
	} else {
		if (lstat(file, &st)) {
			if (errno != ENOENT) {
				msg("%s: %s", file, strerror(errno));
				return EXIT_OPFAIL;
			}
			if (!c.size) {
				msg("%s: no such file, and SIZE is not set in %s: set SIZE to "
				    "have it made, or make it with `nfsswapctl create %s SIZE`",
				    file, conf, file);
				return EXIT_OPFAIL;
			}
			if (create_swapfile(file, c.size) < 0)
				return EXIT_OPFAIL;
		} else if (check_existing(file, &st, c.size)) {
			return EXIT_OPFAIL;
		}
		index = do_on(file, dev, sizeof(dev), c.have_prio, c.prio, c.encrypt);
		if (index < 0)
			return EXIT_OPFAIL;
	}
	if (state_add((unsigned int)index))
		msg("%s: not recorded for `nfsswapctl down`; it finds the device by the "
		    "configured file", dev);
	printf("%s\n", dev);
	return 0;
}

/*
 * down: swapoff and detach the devices `up` set up (the state file), or,
 * without a record, the device of the configured file.
 */
static int cmd_down(const char *conf)
{
	char path[PATH_MAX], dev[PATH_MAX];
	unsigned int idx[STATE_MAX];
	struct swap_conf c;
	int n, i, keep = 0, ret = 0;
	long index;

	n = state_read(idx, STATE_MAX);
	if (n < 0)
		return EXIT_OPFAIL;
	if (!n) {
		if (conf_resolve(conf ? conf : CONF_DEFAULT, &c, path, sizeof(path)))
			return EXIT_USAGE;
		index = find_attached(path);
		if (index >= 0)
			idx[n++] = (unsigned int)index;
	}
	for (i = 0; i < n; i++) {
		if (!device_exists(idx[i]))
			continue;
		if (do_off(idx[i], true)) {
			idx[keep++] = idx[i];
			ret = EXIT_OPFAIL;
			continue;
		}
		node_path(idx[i], dev, sizeof(dev));
		printf("%s\n", dev);
	}
	if (state_write(idx, keep))
		ret = EXIT_OPFAIL;
	return ret;
}

/* config: the settings as up reads them, SWAPFILE resolved. */
static int cmd_config(const char *conf, const char *root)
{
	char confbuf[PATH_MAX], path[PATH_MAX];
	struct swap_conf c;

	if (!conf && root) {
		snprintf(confbuf, sizeof(confbuf), "%s" CONF_DEFAULT, root);
		conf = confbuf;
	} else if (!conf) {
		conf = CONF_DEFAULT;
	}
	if (conf_resolve(conf, &c, path, sizeof(path)))
		return EXIT_USAGE;
	printf("swapfile ");
	if (root)
		put_escaped(stdout, root);
	put_escaped(stdout, path);
	if (c.size)
		printf("\nsize %" PRIu64 "\n", c.size);
	else
		printf("\nsize -\n");
	if (c.have_prio)
		printf("priority %d\n", c.prio);
	else
		printf("priority -\n");
	printf("initramfs %s\n", c.initramfs ? "yes" : "no");
	if (c.have_minfree)
		printf("min_free_kbytes %lu\n", c.minfree_kb);
	else
		printf("min_free_kbytes -\n");
	printf("encrypt %s\n", c.encrypt ? "yes" : "no");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s COMMAND [ARGS]\n"
		"\n"
		"Swap over NFS through netvm_swap block devices (/dev/nfsswapN).\n"
		"\n"
		"  attach FILE               attach FILE, print its /dev/nfsswapN\n"
		"  detach DEV                detach DEV (/dev/nfsswapN, nfsswapN or N)\n"
		"  list                      one line per device: name, backing file,\n"
		"                            server, io path\n"
		"  status [DEV]              counters of DEV (default: all devices) and\n"
		"                            of netvm (/proc/net/netvm)\n"
		"  on FILE [--priority N]    attach FILE, give it a swap signature if it\n"
		"     [--encrypt]            has none, swapon (priority 0..32767); print\n"
		"                            the device.  --encrypt: swap through\n"
		"                            dm-crypt (aes-xts-plain64) with a key made\n"
		"                            now and never stored, on the device\n"
		"                            /dev/mapper/nfsswapN_crypt (needs dm_crypt)\n"
		"  off DEV                   swapoff DEV, then detach it (DEV may also be\n"
		"                            /dev/mapper/nfsswapN_crypt: it is removed)\n"
		"  create FILE SIZE          make FILE, fully allocated, of SIZE bytes\n"
		"                            (K, M, G, T: powers of 1024); an existing\n"
		"                            FILE is kept if it is as wanted, else left\n"
		"                            alone with an error\n"
		"  up [--config CONF]        swap on the file CONF names (default\n"
		"                            " CONF_DEFAULT "): create it if missing,\n"
		"                            on with its priority (encrypted if it\n"
		"                            says ENCRYPT=yes); raise\n"
		"                            vm.min_free_kbytes to MIN_FREE_KBYTES;\n"
		"                            print the device (last line)\n"
		"  up --root DIR             from the initramfs, root filesystem at DIR:\n"
		"                            reads DIR" CONF_DEFAULT " and does\n"
		"                            nothing unless it says INITRAMFS=yes\n"
		"  down [--config CONF]      swapoff and detach what up set up\n"
		"  config [--config CONF]    the settings up uses, %%H and %%l replaced\n"
		"  --help, --version\n"
		"\n"
		"FILE must be a fully allocated regular file, e.g. made with\n"
		"  nfsswapctl create FILE 1G\n"
		"The netvm_swap module must be loaded (modprobe netvm_swap).\n"
		"Exit status: 0 success, 1 failure, 2 usage or configuration error.\n",
		prog);
}

static bool is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h");
}

/*
 * Option @a (argv[*i]) is --@lng, --@lng=VALUE or -@shrt: 1 with *val set
 * (the value may be the next argument), 0 if it is another option, -1 if
 * the value is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
		     const char **val)
{
	const char *a = argv[*i];
	size_t l = strlen(lng);

	if (!strncmp(a, "--", 2) && !strncmp(a + 2, lng, l) && a[2 + l] == '=') {
		*val = a + 3 + l;
		return 1;
	}
	if ((strncmp(a, "--", 2) || strcmp(a + 2, lng)) && (!shrt || strcmp(a, shrt)))
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

/* Parse the command line and run the command; returns the exit status. */
static int nfsswapctl_main(int argc, char **argv)
{
	const char *cmd, *operand[2], *conf = NULL, *root = NULL, *val;
	bool have_prio = false, encrypt = false, opts_done = false, takes_conf, takes_root;
	int i, nops = 0, prio = 0, min, max, r;

	if (argc < 2)
		return usage_error("no command given");
	cmd = argv[1];
	if (is_help(cmd)) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("%s %s\n", prog, NFSSWAPCTL_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "attach") || !strcmp(cmd, "detach") || !strcmp(cmd, "on") ||
	    !strcmp(cmd, "off")) {
		min = max = 1;
	} else if (!strcmp(cmd, "list") || !strcmp(cmd, "up") || !strcmp(cmd, "down") ||
		   !strcmp(cmd, "config")) {
		min = max = 0;
	} else if (!strcmp(cmd, "status")) {
		min = 0;
		max = 1;
	} else if (!strcmp(cmd, "create")) {
		min = max = 2;
	} else if (cmd[0] == '-') {
		return usage_error("unknown option '%s'", cmd);
	} else {
		return usage_error("unknown command '%s'", cmd);
	}
	takes_conf = !strcmp(cmd, "up") || !strcmp(cmd, "down") || !strcmp(cmd, "config");
	takes_root = !strcmp(cmd, "up") || !strcmp(cmd, "config");

	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!opts_done && a[0] == '-' && a[1]) {
			if (!strcmp(a, "--")) {
				opts_done = true;
				continue;
			}
			if (is_help(a)) {
				usage(stdout);
				return 0;
			}
			r = 0;
			if (!strcmp(cmd, "on") && !strcmp(a, "--encrypt")) {
				encrypt = true;
				continue;
			}
			if (!strcmp(cmd, "on")) {
				r = opt_value(argc, argv, &i, "priority", "-p", &val);
				if (r > 0 && parse_priority(val, &prio))
					return usage_error("bad priority '%s': give a number 0..32767",
							   val);
				have_prio = have_prio || r > 0;
			}
			if (!r && takes_conf) {
				r = opt_value(argc, argv, &i, "config", "-c", &val);
				if (r > 0)
					conf = val;
			}
			if (!r && takes_root) {
				r = opt_value(argc, argv, &i, "root", NULL, &val);
				if (r > 0)
					root = val;
			}
			if (r < 0)
				return usage_error("%s needs a value", a);
			if (!r)
				return usage_error("%s: unknown option '%s'", cmd, a);
			if (!*val)
				return usage_error("%s: empty value of %s", cmd, a);
			continue;
		}
		if (nops == max)
			return usage_error("%s: too many arguments", cmd);
		operand[nops++] = a;
	}
	if (nops < min)
		return usage_error("%s: missing %s", cmd,
				   !strcmp(cmd, "create") ? (nops ? "SIZE" : "FILE and SIZE") :
				   strcmp(cmd, "attach") && strcmp(cmd, "on") ? "DEV" : "FILE");
	for (i = 0; i < nops; i++)
		if (!*operand[i])
			return usage_error("%s: empty argument", cmd);
	if (root && conf)
		return usage_error("%s: --root and --config exclude each other "
				   "(--root reads DIR" CONF_DEFAULT ")", cmd);
	if (root && root[0] != '/')
		return usage_error("%s: --root needs an absolute path", cmd);

	if (!strcmp(cmd, "attach"))
		return cmd_attach(operand[0]);
	if (!strcmp(cmd, "detach"))
		return cmd_detach(operand[0]);
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "status"))
		return cmd_status(nops ? operand[0] : NULL);
	if (!strcmp(cmd, "on"))
		return cmd_on(operand[0], have_prio, prio, encrypt);
	if (!strcmp(cmd, "create"))
		return cmd_create(operand[0], operand[1]);
	if (!strcmp(cmd, "up"))
		return cmd_up(conf, root);
	if (!strcmp(cmd, "down"))
		return cmd_down(conf);
	if (!strcmp(cmd, "config"))
		return cmd_config(conf, root);
	return cmd_off(operand[0]);
}

#ifndef NFSSWAPCTL_NO_MAIN
int main(int argc, char **argv)
{
	int ret = nfsswapctl_main(argc, argv);

	if (fflush(stdout) || ferror(stdout)) {
		msg("cannot write the output: %s", strerror(errno));
		return EXIT_OPFAIL;
	}
	return ret;
}
#endif
