namespace Tracefleet.Server.History.Queries;

/// <summary>Receives every (host, output bucket, key) contribution of a scan; a tier's row may stand for many seconds.</summary>
public abstract class ScanSink
{
    /// <summary>Key ids wanted, or null for all; rows of other keys are not passed on.</summary>
    public virtual IReadOnlySet<long>? KeyFilter => null;

    public abstract void Add(long hostId, long bucket, long keyId, long first, long second);
}
