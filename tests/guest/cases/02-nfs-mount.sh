# SPDX-License-Identifier: GPL-2.0
# The client mounts the server's export over NFSv4.2 and NFSv3, writes a
# file and reads it back through a fresh mount.
# timeout: 180
. /usr/lib/netvm-test/lib.sh

for v in 4.2 3; do
	nfs_mount $v /mnt
	grep -q " /mnt nfs4\? .*vers=$v" /proc/mounts || fail "not mounted as NFS $v: $(grep /mnt /proc/mounts)"
	f=/mnt/02-nfs-mount-$v-$$
	dd if=/dev/urandom of=/tmp/data bs=64k count=64 2>/dev/null
	cp /tmp/data $f || fail "write over NFS $v failed"
	sync
	umount /mnt || fail "umount failed"
	nfs_mount $v /mnt
	cmp /tmp/data $f || fail "data read back over NFS $v differs"
	rm -f $f
	umount /mnt
	log "NFS $v: 4 MiB written and read back"
done
