#!/usr/sbin/dtrace -qCs
/*
 * kmemstat	Count kmem cache allocations and frees per cache, one table
 *		per interval. DTrace (Solaris/illumos) version of the kmemstat
 *		exercise, with the cache name printed length-prefixed.
 *
 * USAGE: kmemstat.d [INTERVAL_SECONDS]           (default 1; root or
 *        dtrace_kernel privilege)
 *
 * Output, once per interval (printa order: by ALLOCS, ascending):
 *
 *	  ALLOCS    FREES   LEN SLAB
 *	       0        5    13 kmem_alloc_48
 *	    2811     2606    14 streams_dblk_80
 *
 * LEN is strlen() of the name in bytes; the name is the rest of the line
 * and, if shorter than LEN, continues with "\n" and the next line (same
 * rule as pfstat.d). A cache present in only one of the two aggregations
 * is printed with 0 in the other column. An idle interval prints the
 * header alone.
 *
 * What this backend sees: every kmem_cache_alloc() and kmem_cache_free()
 * call (fbt entry probes), cache name from ((kmem_cache_t *)arg0)->
 * cache_name. kmem_alloc()/kmem_free() go through the kmem_alloc_* caches
 * and are therefore counted under those names.
 *
 * What it cannot see: allocations served without kmem_cache_alloc()
 * (vmem arenas directly, segkmem page allocations); the magazine layer is
 * below these probes, so it is counted. Drops go to stderr.
 */

#pragma D option defaultargs

#define CACHE_NAME(arg)     stringof(((kmem_cache_t*) arg)->cache_name)

BEGIN {
	interval = $1 > 0 ? $1 : 1;
	ticks = 0;
}

fbt::kmem_cache_alloc:entry {
	this->name = CACHE_NAME(arg0);
	@allocs[strlen(this->name), this->name] = count();
}

fbt::kmem_cache_free:entry {
	this->name = CACHE_NAME(arg0);
	@frees[strlen(this->name), this->name] = count();
}

tick-1s {
	ticks++;
}

tick-1s
/ticks >= interval/ {
	ticks = 0;
	printf("%8s %8s %5s %s\n", "ALLOCS", "FREES", "LEN", "SLAB");
	printa("%@8u %@8u %5u %s\n", @allocs, @frees);

	trunc(@allocs); trunc(@frees);
}
