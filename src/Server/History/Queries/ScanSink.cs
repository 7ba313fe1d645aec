namespace Tracefleet.Server.History.Queries;

/// <summary>Receives every (host, output bucket, key) contribution of a scan; a tier's row may stand for many seconds.</summary>
public abstract class ScanSink
{
    /// <summary>Key ids wanted, or null for all; rows of other keys are not passed on.</summary>
    public virtual IReadOnlySet<long>? KeyFilter => null;

    /// <summary>
    /// One contribution: a row's values, or a rollup's sums of them (already saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>),
    /// in the probe's column order; the span is valid during the call only.
    /// </summary>
    public abstract void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values);
}
