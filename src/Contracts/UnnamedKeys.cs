namespace Tracefleet.Contract;

/// <summary>
/// Keys that name no one thing a probe counts: what the scripts print for faults with no file behind them, and the sum of
/// the keys past a snapshot's budget. On Linux <c>???</c> is usually the busiest key of a second (anonymous memory), so
/// the fleet's summaries name the busiest key that does name something beside it.
/// </summary>
public static class UnnamedKeys
{
    /// <summary>
    /// <c>???</c>: bpftrace's and SystemTap's faults on a VMA without a file (heap, stack, anonymous memory) and DTrace's
    /// vnode without a path; <c>[ anon ]</c>: DTrace's segment without a vnode (<c>scripts/probes</c>); <c>(other)</c>:
    /// <see cref="KeyBudget.Other"/>. A file known only by device and inode (<c>[dev 8:1 ino 42]</c>) is one file, so it
    /// is not among them.
    /// </summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(["???", "[ anon ]", KeyBudget.Other], StringComparer.Ordinal);

    /// <summary>True when <paramref name="key"/> names nothing by itself (one of <see cref="All"/>).</summary>
    public static bool Contains(string? key) => key is not null && All.Contains(key);

    /// <summary>
    /// The first key of <paramref name="busiestFirst"/> that names something, or null. Keys of one snapshot are unique, so
    /// among its busiest <c>All.Count + 1</c> rows there is one whenever the snapshot has one.
    /// </summary>
    public static string? FirstNamed(IEnumerable<string> busiestFirst)
    {
        ArgumentNullException.ThrowIfNull(busiestFirst);
        return busiestFirst.FirstOrDefault(key => !Contains(key));
    }
}
