using System.Diagnostics;

namespace Tracefleet.TestSupport;

public static class Poll
{
    /// <summary>
    /// Reads <paramref name="read"/> every 50 ms until <paramref name="done"/> holds of what it read or
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

            await Task.Delay(50);
        }
    }
}
