using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Parsing;

/// <summary>How a row's key follows its value columns; the header says which (see <see cref="HeaderLine"/>).</summary>
public enum KeyLayout
{
    /// <summary>
    /// <c>%8u … %s</c>: the values, then the key to the end of the line, under <c>VALUES… KEY</c> (the exercise's scripts);
    /// bpftrace's map lines <c>@column[key]: N</c> share the header, one map per value column.
    /// </summary>
    Plain,

    /// <summary><c>%8u … %5u %s</c>: the values, the key's length in bytes, then the key, which may span lines, under <c>VALUES… LEN KEY</c> (Tracefleet's stap and DTrace scripts).</summary>
    LengthPrefixed,

    /// <summary>
    /// <c>@column[dev, ino]: N</c> map lines, each naming a file by device and inode, and plain rows for what has no file,
    /// under <c>VALUES… DEV INODE</c> (Tracefleet's bpftrace scripts that cannot read a path in the kernel).
    /// </summary>
    DevInode,
}

/// <summary>A table the agent reads: which probe's values it holds and how its keys are laid out; recognised by its header line.</summary>
public readonly record struct TableFormat(ProbeKind Probe, KeyLayout Layout)
{
    /// <summary>The exercise's pfstat: <c>%8u %s</c> rows under <c>FAULTS VMFILE</c> (SystemTap) or <c>FAULTS VNODE</c> (DTrace).</summary>
    public static TableFormat PageFaults => new(ProbeKind.PageFaults, KeyLayout.Plain);

    /// <summary>Tracefleet's own pfstat: <c>%8u %5u %s</c> (count, key length in bytes, key) under <c>FAULTS LEN VMFILE|VNODE</c>.</summary>
    public static TableFormat PageFaultsLengthPrefixed => new(ProbeKind.PageFaults, KeyLayout.LengthPrefixed);

    /// <summary>Tracefleet's bpftrace pfstat: <c>@faults[dev, ino]: N</c> map lines and one <c>%8u ???</c> row under <c>FAULTS DEV INODE</c>.</summary>
    public static TableFormat PageFaultsDevInode => new(ProbeKind.PageFaults, KeyLayout.DevInode);

    /// <summary>The exercise's kmemstat: <c>%8u %8u %s</c> under <c>ALLOCS FREES SLAB</c>; bpftrace's <c>@allocs[name]: N</c> / <c>@frees[name]: N</c> share the header.</summary>
    public static TableFormat Kmem => new(ProbeKind.Kmem, KeyLayout.Plain);

    /// <summary>Tracefleet's own kmemstat: <c>%8u %8u %5u %s</c> under <c>ALLOCS FREES LEN SLAB</c>.</summary>
    public static TableFormat KmemLengthPrefixed => new(ProbeKind.Kmem, KeyLayout.LengthPrefixed);

    /// <summary>Every probe of the catalogue in every layout: each has a header.</summary>
    public static IEnumerable<TableFormat> All =>
        from probe in Enumerable.Range(0, ProbeCatalogue.All.Count)
        from layout in Enum.GetValues<KeyLayout>()
        select new TableFormat((ProbeKind)probe, layout);

    public override string ToString() => $"{Probe.Name()} {Layout}";
}
