using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>Alerts' state changes (inactive, pending, firing, resolved), newest first.</summary>
public partial class AlertHistoryTable
{
    /// <summary>Null while loading.</summary>
    [Parameter]
    public IReadOnlyList<AlertTransition>? Changes { get; set; }

    /// <summary>How many the page asked for: a full answer may have left older ones out, and the table says so.</summary>
    [Parameter]
    public int? Limit { get; set; }
}
