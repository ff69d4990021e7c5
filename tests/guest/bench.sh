# SPDX-License-Identifier: GPL-2.0
# The swap benchmark, in the client guest (tests/bench/run boots one guest
# per kernel, server and backend).  Parameters come on the kernel command
# line:
#   nvbench.server=guest|host     kernel nfsd in the server guest (10.77.0.1),
#                                 or ganesha/nbd-server/linkperf on the host
#                                 reached through guestfwd (10.0.2.100)
#   nvbench.backend=netvm-swapops|netvm-direct|native-nfs|nbd|zram|link
#   nvbench.workloads=seq,random,multi   nvbench.cap=SECONDS (per workload run)
#   nvbench.run=R  nvbench.runs=N  runs R..R+N-1 (numbers for the results)
#   nvbench.scale=PERCENT         sizes relative to the defaults (100)
#   nvbench.swapmib=MIB           size of the swap file / NBD export / zram
#   nvbench.linkmib=MIB           bytes per direction for the link test
#   nvbench.minfree=KIB           vm.min_free_kbytes (default 16384, see below)
#   nvbench.pagecluster=N         vm.page-cluster (swap readahead: 2^N pages);
#                                 default: the kernel's (3)
#   nvbench.vmara=0|1             /sys/kernel/mm/swap/vma_ra_enabled (swap
#                                 readahead by virtual address or by slot)
#   nvbench.maxkb=KIB             queue/max_sectors_kb of the swap device
#   nvbench.wbt=USEC              queue/wbt_lat_usec of the swap device
#   nvbench.rakb=KIB              netvm_swap readahead_kb (read-ahead per device)
#   nvbench.sched=NAME            queue/scheduler of the swap device
#                                 (netvm-swap, nbd): largest request
#   nvbench.profile=1             perf profile of each workload (cpu-clock,
#                                 whole guest), top symbols and modules in the log
#   nvbench.cgroup=MIB            run the workloads in a memory cgroup of MIB
#                                 and size them by it instead of MemTotal
#                                 (the smoke run: small and quick)
# Results go to the result port (/dev/ttyS1), one line per run:
#   BENCH workload backend run seconds pages_in pages_out status
#   DEV workload backend run rreqs rKiB rlat_ms wreqs wKiB wlat_ms inflight
#   LINK dir run seconds bytes
# The case fails (non-zero exit) only when the backend cannot be set up.
. /usr/lib/netvm-test/lib.sh

param() { sed -n "s/.*nvbench\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
out() { echo "$*" >/dev/ttyS1; echo "bench: $*"; }
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

srv=$(param server)
backend=$(param backend)
workloads=$(param workloads | tr , ' ')
runs=$(param runs)
first=$(param run)
cap=$(param cap)
scale=$(param scale)
swapmib=$(param swapmib)
linkmib=$(param linkmib)
cgroup=$(param cgroup)
minfree=$(param minfree)
pagecluster=$(param pagecluster)
vmara=$(param vmara)
maxkb=$(param maxkb)
wbt=$(param wbt)
rakb=$(param rakb)
sched=$(param sched)
profile=$(param profile)
: "${runs:=1}" "${first:=1}" "${cap:=600}" "${scale:=100}" "${swapmib:=768}" "${linkmib:=256}"

if [ "$srv" = host ]; then
	# QEMU user network: the host's servers are at 10.0.2.100 (guestfwd).
	ip addr flush dev eth0
	ip addr add 10.0.2.15/24 dev eth0
	SERVER=10.0.2.100
	CLIENT=10.0.2.15
fi
ram=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
cg=/sys/fs/cgroup/bench
if [ -n "$cgroup" ]; then
	mkdir -p /sys/fs/cgroup
	is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
	mkdir -p $cg
	echo "${cgroup}M" >$cg/memory.max || fail "cannot set memory.max"
	log "workloads in a memory cgroup of $cgroup MiB (MemTotal $ram MiB)"
	ram=$cgroup
fi
log "kernel $KVER, server $srv ($SERVER), backend $backend, memory for the workloads $ram MiB," \
	"workloads '$workloads', $runs runs, cap $cap s, scale $scale%"
echo 60 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
swapoff -a 2>/dev/null
# zswap (on in some stock kernels) would compress pages in RAM in front of
# every backend: off, so each backend carries all the swap traffic.
if [ -e /sys/module/zswap/parameters/enabled ]; then
	echo N >/sys/module/zswap/parameters/enabled || fail "cannot turn zswap off"
fi
log "zswap enabled: $(cat /sys/module/zswap/parameters/enabled 2>/dev/null || echo absent)"
# Swap over the network needs free pages for receive buffers: virtio_net
# refills its receive ring with GFP_ATOMIC page fragments, which cannot use
# the memalloc reserves, and with the default min_free_kbytes of a 256 MiB
# guest (about 1.4 MiB) every network backend here, ours and the kernel's,
# stalled for good at the start of swap-out ("page allocation failure:
# order:0, mode:0xa20(GFP_ATOMIC)" in virtnet_poll).  Thin clients that swap
# over the network are told to raise it; so is every backend here.
echo "${minfree:-16384}" >/proc/sys/vm/min_free_kbytes || fail "cannot set min_free_kbytes"
log "vm.min_free_kbytes: $(cat /proc/sys/vm/min_free_kbytes)"
if [ -n "$pagecluster" ]; then
	echo "$pagecluster" >/proc/sys/vm/page-cluster || fail "cannot set page-cluster"
fi
if [ -n "$vmara" ]; then
	case $vmara in 1) v=true ;; *) v=false ;; esac
	echo $v >/sys/kernel/mm/swap/vma_ra_enabled || fail "cannot set vma_ra_enabled"
fi
f=/mnt/bench-swapfile
dev=

# The swap file on NFS: the host makes it for its own server; on the server
# guest the first client makes it (fully allocated: no holes).
nfs_file() {
	nfs_mount 4.2 /mnt
	size=$(stat -c %s $f 2>/dev/null)
	if [ "${size:-0}" != $((swapmib << 20)) ]; then
		log "allocating $f ($swapmib MiB)"
		dd if=/dev/zero of=$f bs=1M count="$swapmib" 2>/dev/null || fail "cannot write $f"
	fi
}

# The device whose /sys/block stats describe this backend's requests.
statdev=
setup() {
	case $backend in
	netvm-swapops | netvm-direct)
		modprobe netvm_swap io_path=${backend#netvm-} ${rakb:+readahead_kb=$rakb} || fail "modprobe netvm_swap"
		nfs_file
		dev=$(nfsswapctl on $f --priority 10) || fail "nfsswapctl on $f"
		statdev=${dev#/dev/}
		;;
	native-nfs)
		nfs_file
		mkswap $f >/dev/null || fail "mkswap $f"
		swapon $f || fail "swapon $f"
		dev=$f
		;;
	nbd)
		modprobe nbd || fail "modprobe nbd"
		nbd-client $SERVER 10809 /dev/nbd0 -name swap -swap || fail "nbd-client"
		mkswap /dev/nbd0 >/dev/null || fail "mkswap /dev/nbd0"
		swapon /dev/nbd0 || fail "swapon /dev/nbd0"
		dev=/dev/nbd0
		statdev=nbd0
		;;
	zram)
		modprobe zram num_devices=1 || fail "modprobe zram"
		echo "${swapmib}M" >/sys/block/zram0/disksize || fail "zram disksize"
		mkswap /dev/zram0 >/dev/null || fail "mkswap /dev/zram0"
		swapon /dev/zram0 || fail "swapon /dev/zram0"
		dev=/dev/zram0
		;;
	*) fail "unknown backend '$backend'" ;;
	esac
	cat /proc/swaps
	if [ -n "$wbt" ] && [ -n "$statdev" ]; then
		echo "$wbt" >/sys/block/$statdev/queue/wbt_lat_usec || fail "cannot set wbt_lat_usec"
	fi
	if [ -n "$sched" ] && [ -n "$statdev" ]; then
		echo "$sched" >/sys/block/$statdev/queue/scheduler || fail "cannot set scheduler $sched"
	fi
	if [ -n "$maxkb" ] && [ -n "$statdev" ]; then
		echo "$maxkb" >/sys/block/$statdev/queue/max_sectors_kb || fail "cannot set max_sectors_kb"
	fi
	if [ -n "$statdev" ]; then
		for q in scheduler max_sectors_kb max_hw_sectors_kb nr_requests max_segments read_ahead_kb wbt_lat_usec; do
			echo "queue/$q: $(cat /sys/block/$statdev/queue/$q 2>/dev/null)"
		done
	fi
	echo "page-cluster: $(cat /proc/sys/vm/page-cluster)"
	echo "vma_ra_enabled: $(cat /sys/kernel/mm/swap/vma_ra_enabled 2>/dev/null)"
}

teardown() {
	case $backend in
	netvm-*) nfsswapctl off "$dev" || fail "nfsswapctl off $dev" ;;
	nbd) swapoff /dev/nbd0 && nbd-client -d /dev/nbd0 ;;
	*) swapoff "$dev" || fail "swapoff $dev" ;;
	esac
}

# Request counters: "rreqs rsectors rticks_ms wreqs wsectors wticks_ms",
# from /sys/block/DEV/stat, or for native NFS swap from the mount's
# READ/WRITE statistics (bytes as sectors, execute time as ticks).
snap() {
	if [ -n "$statdev" ]; then
		awk '{ print $1, $3, $4, $5, $7, $8 }' /sys/block/$statdev/stat
	elif [ "$backend" = native-nfs ]; then
		awk '/ READ: / { r = $2 " " int($6 / 512) " " $9 }
			/ WRITE: / { w = $2 " " int($5 / 512) " " $9 }
			END { print r, w }' /proc/self/mountstats
	else
		echo 0 0 0 0 0 0
	fi
}

# devline WORKLOAD RUN SECONDS BEFORE AFTER: averages per request.
devline() {
	echo "$4 $5" | awk -v w="$1" -v r="$2" -v s="$3" -v b="$backend" '{
		rq = $7 - $1; rs = $8 - $2; rt = $9 - $3
		wq = $10 - $4; ws = $11 - $5; wt = $12 - $6
		printf "DEV %s %s %s %d %.1f %.2f %d %.1f %.2f %.2f\n", w, b, r,
			rq, rq ? rs / 2 / rq : 0, rq ? rt / rq : 0,
			wq, wq ? ws / 2 / wq : 0, wq ? wt / wq : 0,
			(s > 0) ? (rt + wt) / (s * 1000) : 0 }'
}

# cpuline BEFORE AFTER: where the guest's CPU went during a workload, from
# two "cpu" lines of /proc/stat (idle and iowait: waiting, e.g. for swap-in).
cpuline() {
	echo "$1 $2" | awk '{
		n = split("user nice system idle iowait irq softirq steal", f, " ")
		for (i = 1; i <= n; i++) { d[i] = $(i + 12) - $(i + 1); t += d[i] }
		printf "cpu:"
		for (i = 1; i <= n; i++) printf " %s %.0f%%", f[i], t ? 100 * d[i] / t : 0
		printf "\n" }'
}

run_link() {
	linkperf -c "$SERVER:5001" -m "$linkmib" -n "$runs" >link.log 2>&1
	rc=$?
	cat link.log
	sed -n 's/^linkperf: run=\([0-9]*\) dir=\([a-z]*\) bytes=\([0-9]*\) seconds=\([0-9.]*\).*/LINK \2 \1 \4 \3/p' link.log |
		while read -r line; do out "$line"; done
	[ $rc = 0 ] || fail "linkperf failed (exit $rc)"
}

if [ "$backend" = link ]; then
	run_link
	exit 0
fi

setup
# Heartbeat on the console for the host's stall watchdog (tests/bench/run):
# the swap counters every 10 s, and whether a workload is running.
echo idle >/tmp/phase
n=0
while :; do
	sleep 10
	n=$((n + 1))
	echo "HB $n $(cat /tmp/phase) $(awk '$1 == "pswpin" || $1 == "pswpout" { printf "%s ", $2 }' /proc/vmstat)"
done &
hb=$!
two=$((ram * 2 * scale / 100))
for r in $(seq "$first" $((first + runs - 1))); do
	for w in $workloads; do
		case $w in
		seq) set -- -p 1 -m $two -k 2 ;;
		random) set -- -p 1 -m $two -r $((two * 256 / 2)) ;;
		multi) set -- -p 4 -m $((ram * 6 * scale / 1000)) -k 1 ;;
		*) fail "unknown workload '$w'" ;;
		esac
		sync
		echo 3 >/proc/sys/vm/drop_caches
		in0=$(vmstat pswpin)
		out0=$(vmstat pswpout)
		s0=$(snap)
		c0=$(head -1 /proc/stat)
		log "run $r: $w: benchload $* -t $cap"
		echo load >/tmp/phase
		if [ -n "$profile" ]; then
			perf record -N -B -a -g -e cpu-clock -F 250 -o /tmp/perf.data >/tmp/perf.log 2>&1 &
			perf=$!
		fi
		if [ -n "$cgroup" ]; then
			sh -c 'echo $$ >'$cg'/cgroup.procs && exec "$@"' sh \
				benchload "$@" -t "$cap" >load.log 2>&1
		else
			benchload "$@" -t "$cap" >load.log 2>&1
		fi
		echo idle >/tmp/phase
		cat load.log
		if [ -n "$profile" ]; then
			kill -INT $perf
			wait $perf
			cat /tmp/perf.log
			perf report -i /tmp/perf.data --stdio --no-children -g none --sort dso 2>&1 |
				grep -v '^#' | grep . | head -15 | sed 's/^/profile: /'
			perf report -i /tmp/perf.data --stdio --no-children -g none --sort sym 2>&1 |
				grep -v '^#' | grep . | head -60 | sed 's/^/profile: /'
			# Who calls the five hottest kernel functions.
			top=$(perf report -i /tmp/perf.data --stdio --no-children -g none --sort sym 2>/dev/null |
				sed -n 's/.*\[k\] \([^ ]*\).*/\1/p' | head -5 | tr '\n' , | sed 's/,$//')
			perf report -i /tmp/perf.data --stdio --no-children --sort sym -S "$top" \
				-g graph,2,callee,function,percent 2>&1 |
				grep -v '^#' | grep . | head -250 | sed 's/^/callers: /'
			rm -f /tmp/perf.data
		fi
		s1=$(snap)
		cpuline "$c0" "$(head -1 /proc/stat)"
		in1=$(vmstat pswpin)
		out1=$(vmstat pswpout)
		last=$(grep '^benchload: status=' load.log)
		status=$(echo "$last" | sed -n 's/.*status=\([a-z]*\).*/\1/p')
		secs=$(echo "$last" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
		[ -n "$status" ] || status=error
		[ "$status" = timeout ] && secs=$cap
		out "BENCH $w $backend $r ${secs:-$cap} $((in1 - in0)) $((out1 - out0)) $status"
		out "$(devline "$w" "$r" "${secs:-1}" "$s0" "$s1")"
		free | sed 's/^/free: /'
		# The device's counters so far (latency, read-ahead...).
		case $backend in netvm-*) nfsswapctl status "$dev" ;; esac
	done
done
kill $hb
teardown
log "done"
