namespace Tracefleet.Server.Ingest;

/// <summary>
/// How often the server logs a refusal made at the headers: a stranger's refused call costs it nothing else, and must not
/// cost a log line each either. At most <see cref="Burst"/> lines at once and one a second after that; the ones left out
/// are counted and said on the next line (all are counted in <c>tracefleet_ingest_refusals_total</c>).
/// </summary>
public sealed class RefusalLogPace(TimeProvider time)
{
    public const int Burst = 10;

    private readonly Lock _gate = new();
    private readonly TokenBucket _pace = new(perSecond: 1, Burst, time);
    private long _skipped;

    /// <summary>True when this refusal may be logged, with how many were left out since the last one logged.</summary>
    public bool TryLog(out long skipped)
    {
        lock (_gate)
        {
            if (!_pace.TryTake())
            {
                _skipped++;
                skipped = 0;
                return false;
            }

            (skipped, _skipped) = (_skipped, 0);
            return true;
        }
    }
}
