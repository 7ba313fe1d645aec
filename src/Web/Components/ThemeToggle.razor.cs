using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Tracefleet.Web.Components;

/// <summary>
/// Chooses the theme through wwwroot/js/theme.js, which applies it and keeps it in localStorage; that script also
/// applies the kept choice at page load, before this component exists, so the page never flashes the other theme.
/// </summary>
public partial class ThemeToggle
{
    /// <summary>What the toggle offers: <c>system</c> follows <c>prefers-color-scheme</c>.</summary>
    public static readonly IReadOnlyList<string> Choices = ["system", "light", "dark"];

    [Inject]
    private IJSRuntime Js { get; set; } = null!;

    private string Choice { get; set; } = "system";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        var stored = await Js.InvokeAsync<string?>("tracefleetTheme.choice");
        // A value the script would not store: a page from an older or newer version left it. Shown as the default.
        var choice = stored is not null && Choices.Contains(stored) ? stored : "system";
        if (choice != Choice)
        {
            Choice = choice;
            StateHasChanged();
        }
    }

    private async Task ChooseAsync(ChangeEventArgs e)
    {
        if (e.Value is not string choice || !Choices.Contains(choice))
        {
            return;
        }

        Choice = choice;
        await Js.InvokeVoidAsync("tracefleetTheme.choose", choice);
    }
}
