namespace Tracefleet.Server.History.Encoding;

/// <summary>
/// A rollup bucket's statistics of its snapshots' totals (each snapshot's values summed over all its keys, saturated
/// at <see cref="Tracefleet.Contract.Counts.Saturated"/>): how many snapshots, and sum, min, max of each total, in column
/// order. A host's peak second is not derivable from its keys' maxima (they may peak in different seconds), so buckets
/// keep these beside the keys. <see cref="Known"/> is false for a bucket written before buckets kept them, and stays
/// false once such a bucket is merged into: the totals would then cover part of its snapshots only.
/// </summary>
public sealed class SnapshotTotals
{
    private KeyStats _stats;

    /// <summary>False when some snapshot of the bucket is not in <see cref="Stats"/>.</summary>
    public bool Known { get; private set; } = true;

    public ref readonly KeyStats Stats => ref _stats;

    /// <summary>Folds in <paramref name="count"/> snapshots whose totals have these sums, minima and maxima (spans of equal length).</summary>
    public void Add(long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) => _stats.Add(count, sums, mins, maxes);

    /// <summary>Some snapshots of the bucket were merged in without their totals (a bucket written before they were kept).</summary>
    public void MarkUnknown() => Known = false;
}
