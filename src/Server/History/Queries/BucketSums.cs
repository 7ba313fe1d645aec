using System.Runtime.InteropServices;
using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>
/// Sums per host, key (when keys are wanted, else all keys together) and output bucket, with each key's least and greatest
/// value of one snapshot and, per host and bucket, the snapshots and the least and greatest of their totals: from these a
/// series point gets its peak and low second (<see cref="Peaks"/>, <see cref="Lows"/>).
/// </summary>
internal sealed class BucketSums(HashSet<long>? keys) : ScanSink
{
    public override IReadOnlySet<long>? KeyFilter => keys;

    public Dictionary<(long Host, long Key, long Bucket), KeyStats> Buckets { get; } = [];

    /// <summary>Per host and bucket, the snapshots' totals; <see cref="SnapshotTotals.Known"/> false when a part of them is not known.</summary>
    public Dictionary<(long Host, long Bucket), SnapshotTotals> Snapshots { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values) => Add(hostId, bucket, keyId, 1, values, values, values);

    public override void Add(long hostId, long bucket, long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
    {
        ref var stats = ref CollectionsMarshal.GetValueRefOrAddDefault(Buckets, (hostId, keys is null ? 0 : keyId, bucket), out _);
        stats.Add(count, sums, mins, maxes);
    }

    public override void AddSnapshots(long hostId, long bucket, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
        SnapshotsOf(hostId, bucket).Add(count, sums, mins, maxes);

    public override void SnapshotsUnknown(long hostId, long bucket) => SnapshotsOf(hostId, bucket).MarkUnknown();

    /// <summary>
    /// The greatest value one snapshot of the bucket had: of the key, or of the host's total over all keys when keys are
    /// not wanted; null for a total whose bucket holds a rollup written before rollups kept snapshot totals.
    /// </summary>
    public RowValues? Peaks((long Host, long Key, long Bucket) bucket, in KeyStats stats) =>
        keys is not null ? stats.Maxes : Totals(bucket) is { } totals ? totals.Stats.Maxes : null;

    /// <summary>
    /// The least value one snapshot of the bucket had, a snapshot without the key counting 0 for it; null when the
    /// bucket holds a rollup written before rollups kept snapshot totals (how many snapshots lacked the key is not known).
    /// </summary>
    public RowValues? Lows((long Host, long Key, long Bucket) bucket, in KeyStats stats)
    {
        if (Totals(bucket) is not { } totals)
        {
            return null;
        }

        if (keys is null)
        {
            return totals.Stats.Mins;
        }

        return stats.Count < totals.Stats.Count ? default(RowValues) : stats.Mins;
    }

    private SnapshotTotals? Totals((long Host, long Key, long Bucket) bucket) =>
        Snapshots.TryGetValue((bucket.Host, bucket.Bucket), out var totals) && totals.Known ? totals : null;

    private SnapshotTotals SnapshotsOf(long hostId, long bucket)
    {
        ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(Snapshots, (hostId, bucket), out _);
        return totals ??= new SnapshotTotals();
    }
}
