# SPDX-License-Identifier: GPL-2.0
# Server guest: kernel nfsd (NFSv4.2 and NFSv3) and nbd-server, exporting an
# ext4 filesystem on the guest's virtio disk (made empty by the host for
# each run).  Run by /init; exit status says whether the services are up.
set -e
for m in ext4 nfsd; do
	modprobe $m
done
mkdir -p /srv/nfs /var/lib/nfs/v4recovery /run/rpcbind /etc/exports.d
mount -t ext4 /dev/vda /srv/nfs
mkdir -p /srv/nfs/nbd
mount -t nfsd nfsd /proc/fs/nfsd
echo '/srv/nfs *(rw,sync,no_root_squash,no_subtree_check,insecure,fsid=0)' >/etc/exports
# A short grace period: clients of each case reboot into a new instance.
echo 10 >/proc/fs/nfsd/nfsv4leasetime 2>/dev/null || true
echo 10 >/proc/fs/nfsd/nfsv4gracetime 2>/dev/null || true
rpcbind -w
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -S /run/rpcbind.sock ] && break
	sleep 1
done
[ -S /run/rpcbind.sock ] || { echo "rpcbind did not start"; exit 1; }
exportfs -ra
rpc.mountd --no-udp -p 20048
# nfsd sizes its largest transfer by the server's RAM (1/4096 of it): 32
# KiB in this 256 MB guest, where real servers offer 1 MiB.  Offer 1 MiB,
# as a real server would, so that clients merge I/O as they would there.
echo 1048576 >/proc/fs/nfsd/max_block_size
rpc.nfsd --no-udp 8
# NBD: one export backed by a file on the same disk, for the NBD baselines.
truncate -s 1G /srv/nfs/nbd/swap.img
printf '[generic]\n[swap]\nexportname = /srv/nfs/nbd/swap.img\n' >/etc/nbd-server.conf
nbd-server -C /etc/nbd-server.conf
# Raw link throughput for the benchmark (tests/bench).
linkperf -l 5001 -b 0.0.0.0 </dev/null >/dev/null 2>&1 &
cat /proc/fs/nfsd/versions
