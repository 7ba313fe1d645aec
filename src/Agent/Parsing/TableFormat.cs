
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
public readonly record struct TableFormat(ProbeDefinition Probe, KeyLayout Layout)
{
    public override string ToString() => $"{Probe.Name} {Layout}";
}
