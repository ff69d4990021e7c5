// SPDX-License-Identifier: GPL-2.0
/*
 * mountnfs: mount(2) with the kernel's own text options, for NFS in the test
 * guests (busybox mount speaks the legacy binary NFS mount protocol).
 *
 * usage: mountnfs -t TYPE -o OPTIONS SOURCE DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *type = "nfs", *opts = "";
	int c;

	while ((c = getopt(argc, argv, "t:o:")) != -1) {
		switch (c) {
		case 't':
			type = optarg;
			break;
		case 'o':
			opts = optarg;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mountnfs -t TYPE -o OPTIONS SOURCE DIR\n");
		return 2;
	}
	if (mount(argv[optind], argv[optind + 1], type, 0, opts)) {
		fprintf(stderr, "mountnfs: %s on %s: %s\n", argv[optind],
			argv[optind + 1], strerror(errno));
		return 1;
	}
	return 0;
}
