namespace Tracefleet.Server.History;

/// <summary>
/// How the store's writes are going, for health checks and metrics: whether the store has failed every write since a
/// given time (locked by another process, unreachable, out of space).
/// Written by the one writer, read by anyone.
/// </summary>
public sealed class StoreWrites
{
    private readonly Lock _gate = new();
    private DateTime? _failingSince;
    private string? _lastFailure;
    private long _failures;

    /// <summary>Batches that failed as a whole since the server started.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>A batch committed: the store writes again.</summary>
    public void Committed()
    {
        lock (_gate)
        {
            _failingSince = null;
        }
    }

    public void Failed(DateTime at, string reason)
    {
        Interlocked.Increment(ref _failures);
        lock (_gate)
        {
            _failingSince ??= at;
            _lastFailure = reason;
        }
    }

    /// <summary>Since when every write has failed, and the last failure's words; null while writes succeed.</summary>
    public (DateTime Since, string Reason)? Failing
    {
        get
        {
            lock (_gate)
            {
                return _failingSince is { } since ? (since, _lastFailure ?? "") : null;
            }
        }
    }
}
