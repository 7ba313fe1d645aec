namespace Tracefleet.Web.Services;

/// <summary>
/// Whether live updates are held back from the screen, one state for every page of the tab: the header's button sets
/// it, <see cref="PausableFeed"/> obeys it, so no page needs code of its own to pause.
/// </summary>
public sealed class LivePause
{
    public bool Paused { get; private set; }

    /// <summary>Raised after <see cref="Paused"/> changes, on the caller's thread.</summary>
    public event Action? Changed;

    public void Pause() => Set(true);

    public void Resume() => Set(false);

    public void Toggle() => Set(!Paused);

    private void Set(bool paused)
    {
        if (Paused == paused)
        {
            return;
        }

        Paused = paused;
        Changed?.Invoke();
    }
}
