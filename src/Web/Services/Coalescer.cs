namespace Tracefleet.Web.Services;

/// <summary>
/// Runs an action at most once per <paramref name="interval"/> however often it is asked for: requests while it runs or
/// waits out the interval fold into one more run after it, so a burst of live events costs a page a few renders a
/// second, and the last event's state is always shown. The action handles its own failures; one that throws still
/// lets the next request run.
/// </summary>
public sealed class Coalescer(Func<Task> action, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private bool _running;
    private bool _again;

    /// <summary>Asks for a run; the task ends when this request's run (or the run it was folded into) is scheduled or done.</summary>
    public Task RequestAsync()
    {
        lock (_lock)
        {
            if (_running)
            {
                _again = true;
                return Task.CompletedTask;
            }

            _running = true;
        }

        return RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await action().ConfigureAwait(false);
                if (interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval).ConfigureAwait(false);
                }

                lock (_lock)
                {
                    if (!_again)
                    {
                        _running = false;
                        return;
                    }

                    _again = false;
                }
            }
        }
        catch
        {
            lock (_lock)
            {
                (_running, _again) = (false, false);
            }

            throw;
        }
    }
}
