using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>Says what could not be loaded and why (a plain sentence, with the server's own words when it gave some), instead of an empty page.</summary>
public partial class LoadProblem
{
    [Parameter]
    public string Title { get; set; } = "Could not load";

    /// <summary>Nothing is shown while null.</summary>
    [Parameter]
    public string? Message { get; set; }
}
