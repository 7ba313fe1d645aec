namespace Tracefleet.Server.History.Queries;

/// <summary>Receives every (host, output bucket, key) contribution of a scan; a tier's row may stand for many seconds.</summary>
public abstract class ScanSink
{
    /// <summary>Key ids wanted, or null for all; rows of other keys are not passed on.</summary>
    public virtual IReadOnlySet<long>? KeyFilter => null;

    /// <summary>
    /// Whether sums are all this sink needs: rollup buckets are then read without their extremes and snapshot totals
    /// (<see cref="Encoding.RollupPayload.DecodeSums"/>), and contributions come with empty minima and maxima and no snapshots.
    /// </summary>
    public virtual bool SumsOnly => false;

    /// <summary>
    /// One contribution: a row's values, or a rollup's sums of them (already saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>),
    /// in the probe's column order; the span is valid during the call only.
    /// </summary>
    public abstract void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values);

    /// <summary>
    /// One contribution with its statistics: how many snapshots had the key (1 for a raw row), the sums, and the least and
    /// greatest value of one snapshot, in column order. By default only the sums are passed on to <see cref="Add(long, long, long, ReadOnlySpan{ulong})"/>.
    /// </summary>
    public virtual void Add(long hostId, long bucket, long keyId, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes) =>
        Add(hostId, bucket, keyId, sums);

    /// <summary>
    /// After a contribution's rows, its snapshots: how many, and the sum, least and greatest of their totals (each one's
    /// values summed over all keys, saturated), in column order. Ignored by default.
    /// </summary>
    public virtual void AddSnapshots(long hostId, long bucket, long count, ReadOnlySpan<ulong> sums, ReadOnlySpan<ulong> mins, ReadOnlySpan<ulong> maxes)
    {
    }

    /// <summary>A contribution whose snapshots are not known (a rollup bucket written before buckets kept them). Ignored by default.</summary>
    public virtual void SnapshotsUnknown(long hostId, long bucket)
    {
    }
}
