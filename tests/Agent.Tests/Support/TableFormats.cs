
namespace Tracefleet.Agent.Tests.Support;

/// <summary>The table formats of the scripts Tracefleet ships and of the exercise's, by name.</summary>
public static class TableFormats
{
    /// <summary>The exercise's pfstat: <c>%8u %s</c> rows under <c>FAULTS VMFILE</c> (SystemTap) or <c>FAULTS VNODE</c> (DTrace).</summary>
    public static TableFormat PageFaults => new(ProbeCatalogue.PageFaults, KeyLayout.Plain);

    /// <summary>Tracefleet's own pfstat: <c>%8u %5u %s</c> (count, key length in bytes, key) under <c>FAULTS LEN VMFILE|VNODE</c>.</summary>
    public static TableFormat PageFaultsLengthPrefixed => new(ProbeCatalogue.PageFaults, KeyLayout.LengthPrefixed);

    /// <summary>Tracefleet's bpftrace pfstat: <c>@faults[dev, ino]: N</c> map lines and one <c>%8u ???</c> row under <c>FAULTS DEV INODE</c>.</summary>
    public static TableFormat PageFaultsDevInode => new(ProbeCatalogue.PageFaults, KeyLayout.DevInode);

    /// <summary>The exercise's kmemstat: <c>%8u %8u %s</c> under <c>ALLOCS FREES SLAB</c>; bpftrace's <c>@allocs[name]: N</c> / <c>@frees[name]: N</c> share the header.</summary>
    public static TableFormat Kmem => new(ProbeCatalogue.Kmem, KeyLayout.Plain);

    /// <summary>Tracefleet's own kmemstat: <c>%8u %8u %5u %s</c> under <c>ALLOCS FREES LEN SLAB</c>.</summary>
    public static TableFormat KmemLengthPrefixed => new(ProbeCatalogue.Kmem, KeyLayout.LengthPrefixed);

    /// <summary>Every built-in probe in every layout: each has a header.</summary>
    public static IEnumerable<TableFormat> All =>
        from probe in ProbeCatalogue.BuiltIn
        from layout in Enum.GetValues<KeyLayout>()
        select new TableFormat(probe, layout);
}
