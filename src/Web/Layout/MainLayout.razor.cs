using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Layout;

public sealed partial class MainLayout : IDisposable
{
    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [Inject]
    private LatencyLog Latency { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    private string LatencyText => Latency.LastMs is { } ms ? $" · last snapshot on screen {ms.ToString("0", CultureInfo.InvariantCulture)} ms after the server got it" : "";

    protected override async Task OnInitializedAsync()
    {
        Latency.Verbose = Navigation.Uri.Contains("latency=1", StringComparison.Ordinal);
        Live.StateChanged += Refresh;
        Latency.Changed += Refresh;
        await Live.ConnectAsync();
    }

    private void Refresh() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Live.StateChanged -= Refresh;
        Latency.Changed -= Refresh;
    }
}
