namespace Tracefleet.Server.Ingest;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/> (so tests can move time): it holds at most <c>burst</c> tokens, gains
/// <c>perSecond</c> a second, and starts full. Not thread-safe. Snapshot pacing, which waits for tokens, uses
/// System.Threading.RateLimiting instead; this one only answers "now or not".
/// </summary>
public sealed class TokenBucket(double perSecond, double burst, TimeProvider time)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _at = time.GetTimestamp();

    /// <summary>Takes a token when one is there; false (and nothing taken) otherwise.</summary>
    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (time.GetElapsedTime(_at, now).TotalSeconds * perSecond));
        _at = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
