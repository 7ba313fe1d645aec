using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Costs;

/// <summary>
/// The agent's measuring beat: at the end of every window each probe's cost is measured (and its budget applied), then
/// every probe's status goes to the board as one change, so the server sees cost over time at one status per probe
/// per window, whether or not anything else changed.
/// </summary>
public static class CostWindows
{
    /// <summary>
    /// Long enough that a probe's CPU, counted in 10 ms clock ticks, is measured to 0.1 % of a core, and that the
    /// statuses it sends are few; short enough that an expensive probe is found within half a minute.
    /// </summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    /// <summary>Runs until cancelled; throws <see cref="ArgumentOutOfRangeException"/> for a window that is not positive.</summary>
    public static async Task RunAsync(IReadOnlyList<TracerProbe> tracers, ProbeStatusBoard statuses, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        using var timer = new PeriodicTimer(window);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var tracer in tracers)
                {
                    tracer.MeasureCost();
                }

                statuses.UpdateAll(tracers.SelectMany(t => t.Statuses()));
            }
        }
        catch (OperationCanceledException)
        {
            // The agent is stopping.
        }
    }
}
