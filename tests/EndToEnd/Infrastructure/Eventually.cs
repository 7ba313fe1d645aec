using System.Diagnostics;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// Polls a condition until it holds or the patience runs out; tests assert on what it last saw. Patience is measured
/// on a monotonic clock, so a wall-clock step (NTP) neither cuts it short nor stretches it.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        var last = await read();
        while (!done(last) && waited.Elapsed < patience)
        {
            await Task.Delay(100);
            last = await read();
        }

        return last;
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan patience) =>
        WaitAsync(() => Task.FromResult(condition()), ok => ok, patience);
}
