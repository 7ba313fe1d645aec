using Microsoft.JSInterop;

namespace Tracefleet.Web.Services;

/// <summary>
/// How long after the server accepted a snapshot the page had it on screen (after the render that
/// showed it). Kept for the footer; with <c>?latency=1</c> in the URL each sample is also written to
/// the browser console (debug level), which is how the end-to-end tests collect them, and so is how long each live
/// render took (<see cref="RenderedAsync"/>).
/// </summary>
public sealed class LatencyLog(IJSRuntime js)
{
    private const int Kept = 1000;
    private readonly Queue<double> _samples = new();

    public bool Verbose { get; set; }

    public double? LastMs { get; private set; }

    public int Count => _samples.Count;

    public event Action? Changed;

    public async Task RecordAsync(DateTime receivedAt, DateTime shownAt)
    {
        var ms = (shownAt - receivedAt).TotalMilliseconds;
        LastMs = ms;
        _samples.Enqueue(ms);
        if (_samples.Count > Kept)
        {
            _samples.Dequeue();
        }

        Changed?.Invoke();
        if (Verbose)
        {
            await js.InvokeVoidAsync("console.debug", $"tracefleet-latency {ms:F1}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A live render took <paramref name="took"/> (new chart lines, diff, DOM update). Written to the console as
    /// <c>tracefleet-render MS</c> with <c>?latency=1</c>; otherwise nothing is kept.
    /// </summary>
    public async Task RenderedAsync(TimeSpan took)
    {
        if (Verbose)
        {
            await js.InvokeVoidAsync("console.debug", $"tracefleet-render {took.TotalMilliseconds:F2}").ConfigureAwait(false);
        }
    }
}
