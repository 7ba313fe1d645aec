using Microsoft.JSInterop;

namespace Tracefleet.Web.Services;

/// <summary>
/// The range the user last chose (a preset or an absolute from/to), so the next page opened without one in its URL shows
/// the same: kept for the tab and in the browser's localStorage (key <c>tracefleet.range</c>, text <c>15m</c> or
/// <c>FROM/TO</c> in ISO-8601 UTC) so it survives a reload. A range in the URL always wins, so deep links stay exact.
/// Storage that cannot be read or written (disabled, full) leaves the range remembered for the tab only.
/// </summary>
public sealed class RangeMemory(IJSRuntime js)
{
    internal const string StorageKey = "tracefleet.range";

    public TimeRangeSpec? Remembered { get; private set; }

    /// <summary>Reads the stored range; unreadable or malformed text leaves none remembered.</summary>
    public async Task LoadAsync()
    {
        try
        {
            Remembered = FromText(await js.InvokeAsync<string?>("localStorage.getItem", StorageKey));
        }
        catch (JSException)
        {
            Remembered = null;
        }
    }

    /// <summary>Remembers <paramref name="range"/> for the tab at once (before the returned task ends), then stores it.</summary>
    public async Task RememberAsync(TimeRangeSpec range)
    {
        Remembered = range;
        try
        {
            await js.InvokeVoidAsync("localStorage.setItem", StorageKey, ToText(range));
        }
        catch (JSException)
        {
            // Kept for the tab; the next reload starts from the page's own default.
        }
    }

    /// <summary>The URL's range when it names one (<paramref name="fallback"/>'s preset standing for a missing or unknown preset), else the remembered one, else <paramref name="fallback"/>.</summary>
    public TimeRangeSpec Or(string? preset, string? from, string? to, TimeRangeSpec fallback)
    {
        if (preset is null && from is null && to is null)
        {
            return Remembered ?? fallback;
        }

        return TimeRangeSpec.Parse(TimeRangeSpec.Presets.Any(p => p.Preset == preset) ? preset : fallback.Preset, from, to);
    }

    internal static string ToText(TimeRangeSpec range)
    {
        var parameters = range.QueryParameters();
        return range.IsRelative ? range.Preset ?? TimeRangeSpec.Default.Preset! : $"{parameters["from"]}/{parameters["to"]}";
    }

    internal static TimeRangeSpec? FromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var ends = text.Split('/');
        if (ends.Length == 2)
        {
            var absolute = TimeRangeSpec.Parse(null, ends[0], ends[1]);
            return absolute.IsRelative ? null : absolute;
        }

        return TimeRangeSpec.Presets.Any(p => p.Preset == text) ? TimeRangeSpec.Parse(text, null, null) : null;
    }
}
