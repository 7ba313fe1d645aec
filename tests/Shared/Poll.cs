using System.Diagnostics;

namespace Tracefleet.TestSupport;

/// <summary>
/// Polls until something holds or the patience runs out; tests assert on what it last saw. Patience is measured on a
/// monotonic clock, so a wall-clock step (NTP) neither cuts it short nor stretches it.
/// </summary>
public static class Poll
{
    /// <summary>
    /// Reads <paramref name="read"/> every 100 ms until <paramref name="done"/> holds of what it read or
    /// <paramref name="patience"/> has passed, each read also cut off at <paramref name="patience"/>. The last value read
    /// either way, for the test's assertions to say what was there instead.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read().WaitAsync(patience);
            if (done(value) || waited.Elapsed > patience)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Whether <paramref name="condition"/> came to hold within <paramref name="patience"/>, checked every 100 ms.</summary>
    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan patience) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, patience);
}
