namespace Tracefleet.Server.InProcess.Infrastructure;

/// <summary>Waits for something the server does in the background (the live feed) to become true, or fails saying what.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(InProcessAgent.Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what} did not happen within {InProcessAgent.Patience.TotalSeconds} s");
            }
        }
    }
}
