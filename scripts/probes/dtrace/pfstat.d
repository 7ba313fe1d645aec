#!/usr/sbin/dtrace -qCs
/*
 * pfstat	Count page faults per mapped vnode, one table per interval.
 *		DTrace (Solaris/illumos) version of the pfstat exercise, with
 *		the key printed length-prefixed so a path cannot forge a row.
 *
 * USAGE: pfstat.d [INTERVAL_SECONDS]             (default 1; root or
 *        dtrace_kernel privilege)
 *
 * Output, once per interval (printa order: by count, ascending):
 *
 *	  FAULTS   LEN VNODE
 *	       1    14 /lib/libc.so.1
 *	    7128     8 [ anon ]
 *
 * LEN is strlen() of the key in bytes. The key is the rest of the line;
 * when it is shorter than LEN, the key continues with "\n" and the next
 * line until LEN bytes are consumed (a path may hold newlines). An idle
 * interval prints the header alone.
 *
 * What this backend sees: every as_segat() lookup made inside as_fault()
 * (user and kernel-context faults alike, e.g. copyin/copyout of a mapped
 * file). Segments of the segvn driver are keyed by the v_path of their
 * vnode, "[ anon ]" when the segment has no vnode (heap, stack, anonymous
 * memory), "???" when the vnode has no cached path (NULL or empty) or no
 * segment was found (a bad address).
 *
 * What it cannot see: segments of other drivers (segspt/ISM shared memory,
 * segdev, segkp...) are not counted at all. v_path is a cached hint: a
 * renamed or removed file may show its old name. Paths are cut at
 * strsize (set to 1024 below; LEN then gives the printed length).
 * Drops go to stderr ("dtrace: N dynamic variable drops").
 */

#pragma D option defaultargs
#pragma D option strsize=1024

#define VNODE_NAME(vp)                                 \
    (vp) ? ((vp)->v_path)                              \
         ? stringof((vp)->v_path) : "???" : "[ anon ]"

#define IS_SEG_VN(s)  (((struct seg*) s)->s_ops == &`segvn_ops)

BEGIN {
	interval = $1 > 0 ? $1 : 1;
	ticks = 0;
}

fbt::as_fault:entry {
	self->in_fault = 1;
}
fbt::as_fault:return {
	self->in_fault = 0;
}

fbt::as_segat:return
/self->in_fault && arg1 == 0/ {
	this->key = "???";
	@faults[strlen(this->key), this->key] = count();
}

fbt::as_segat:return
/self->in_fault && arg1 != 0 && IS_SEG_VN(arg1)/ {
	this->seg = (struct seg*) arg1;
	this->seg_vn = (segvn_data_t*) this->seg->s_data;

	this->key = VNODE_NAME(this->seg_vn->vp);
	/* illumos marks an unknown path with an empty string (vn_vpath_empty). */
	this->key = this->key == "" ? "???" : this->key;
	@faults[strlen(this->key), this->key] = count();
}

tick-1s {
	ticks++;
}

tick-1s
/ticks >= interval/ {
	ticks = 0;
	printf("%8s %5s %s\n", "FAULTS", "LEN", "VNODE");
	printa("%@8u %5u %s\n", @faults);
	trunc(@faults);
}
