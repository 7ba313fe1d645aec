using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>The alerts pending or firing now, each with a button that silences it (its rule, host and key) for 2 hours.</summary>
public partial class FiringTable
{
    /// <summary>Null while loading.</summary>
    [Parameter]
    public IReadOnlyList<ActiveAlert>? Alerts { get; set; }

    [Parameter]
    public EventCallback<ActiveAlert> SilenceRequested { get; set; }

    private IEnumerable<ActiveAlert> Shown => (Alerts ?? [])
        .OrderBy(a => a.State == "firing" ? 0 : 1)
        .ThenByDescending(a => a.Since)
        .ThenBy(a => a.Rule, StringComparer.Ordinal);

    private static string HostLink(string host) => $"host?host={Uri.EscapeDataString(host)}";
}
