using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>Pauses and resumes live updates on every page of the tab (<see cref="LivePause"/>), and says when they are paused.</summary>
public sealed partial class PauseButton : IDisposable
{
    [Inject]
    private LivePause Pause { get; set; } = null!;

    protected override void OnInitialized() => Pause.Changed += Refresh;

    private void Refresh() => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Pause.Changed -= Refresh;
}
