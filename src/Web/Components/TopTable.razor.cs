using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

public partial class TopTable
{
    /// <summary><c>pagefaults</c> or <c>kmem</c>.</summary>
    [Parameter]
    public string Probe { get; set; } = Probes.PageFaults;

    /// <summary>The host's OS: Solaris' DTrace names the key column VNODE, SystemTap VMFILE.</summary>
    [Parameter]
    public string? Os { get; set; }

    /// <summary>The rows; null while loading.</summary>
    [Parameter]
    public IReadOnlyList<KeyRow>? Rows { get; set; }

    /// <summary>Why there are no rows, when the page knows better than "an idle interval" (the server refused them).</summary>
    [Parameter]
    public string? EmptyReason { get; set; }

    [Parameter]
    public string? Sort { get; set; }

    [Parameter]
    public EventCallback<string> SortChanged { get; set; }

    [Parameter]
    public string? SelectedKey { get; set; }

    [Parameter]
    public EventCallback<string> KeySelected { get; set; }

    private bool IsKmem => Probe == Probes.Kmem;

    private string KeyHeader => string.Equals(Os, "solaris", StringComparison.OrdinalIgnoreCase) || string.Equals(Os, "illumos", StringComparison.OrdinalIgnoreCase)
        ? "VNODE"
        : "VMFILE";

    private IReadOnlyList<KeyRow> Shown => TableSort.Apply(Rows ?? [], Sort);

    private string Arrow(string column) => (Sort ?? "first") == column ? (column == "key" ? " ▲" : " ▼") : "";

    private Task SortBy(string column) => SortChanged.InvokeAsync(column);

    private Task SelectAsync(string key) => KeySelected.InvokeAsync(key);
}
