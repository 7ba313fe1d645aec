using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Parsing;

/// <summary>The table layouts the agent reads, each recognised by its header line.</summary>
public enum TableFormat
{
    /// <summary>The exercise's pfstat: <c>%8u %s</c> rows under <c>FAULTS VMFILE</c> (SystemTap) or <c>FAULTS VNODE</c> (DTrace).</summary>
    PageFaults,

    /// <summary>Tracefleet's own pfstat: <c>%8u %5u %s</c> (count, key length in bytes, key) under <c>FAULTS LEN VMFILE|VNODE</c>.</summary>
    PageFaultsLengthPrefixed,

    /// <summary>Tracefleet's bpftrace pfstat: <c>@faults[dev, ino]: N</c> map lines and one <c>%8u ???</c> row under <c>FAULTS DEV INODE</c>.</summary>
    PageFaultsDevInode,

    /// <summary>The exercise's kmemstat: <c>%8u %8u %s</c> under <c>ALLOCS FREES SLAB</c>; bpftrace's <c>@allocs[name]: N</c> / <c>@frees[name]: N</c> share the header.</summary>
    Kmem,

    /// <summary>Tracefleet's own kmemstat: <c>%8u %8u %5u %s</c> under <c>ALLOCS FREES LEN SLAB</c>.</summary>
    KmemLengthPrefixed,
}

public static class TableFormats
{
    public static ProbeKind Probe(this TableFormat format) => format switch
    {
        TableFormat.Kmem or TableFormat.KmemLengthPrefixed => ProbeKind.Kmem,
        _ => ProbeKind.PageFaults,
    };
}
