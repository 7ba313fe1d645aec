namespace Tracefleet.Agent.Processes;

/// <summary>
/// When to restart a tracer that stopped: exponential backoff with jitter, reset once a run has lasted
/// <see cref="HealthyRun"/> (a tracer that ran an hour and then died is not "failing").
/// </summary>
public sealed class RestartPolicy(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    public static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(60);

    /// <summary>Runs that ended too soon, in a row.</summary>
    public int ConsecutiveFailures => _failures;

    /// <summary>The delay before the next start, given how long the last run lasted.</summary>
    public TimeSpan NextDelay(TimeSpan lastRun)
    {
        if (lastRun >= HealthyRun)
        {
            _failures = 0;
        }

        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 16));
        _failures++;
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        // ±20 % jitter, so a fleet whose tracers died together does not restart in lockstep.
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * _random.NextDouble())));
    }
}
