using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

public partial class ChangesTable
{
    /// <summary>The changes answer; null while loading.</summary>
    [Parameter]
    public ChangesResponse? Data { get; set; }

    [Parameter]
    public string? SelectedKey { get; set; }

    [Parameter]
    public EventCallback<string> KeySelected { get; set; }

    /// <summary>
    /// One window's (0: now, 1: then) measure of the key (<see cref="ColumnMeasure"/>: the column's count, or plus − minus
    /// for a net): absent when it had nothing in that window, <see cref="Window.Value"/> null when a count it depends on is
    /// saturated (unknown, as <see cref="CompareMath"/> says).
    /// </summary>
    private Window Side(KeyChangeRow row, int side)
    {
        var probe = ProbeChoice.Of(Data?.Probe);
        var counts = probe.Columns.Select(c => side == 0 ? row.NowOf(c) : row.ThenOf(c)).ToList();
        if (counts.All(c => c is null))
        {
            return new Window(false, null);
        }

        var measure = ColumnMeasure.OrRankedBy(probe, Data?.Column);
        return new Window(true, measure.IsNet
            ? CompareMath.Difference(counts[measure.Plus], counts[measure.Minus])
            : CompareMath.Difference(counts[measure.Plus], 0));
    }

    /// <summary>The window's value; a dash where the key had nothing then (absent is not 0).</summary>
    internal static string Text(Window window) => window.Present ? CountText.Net(window.Value) : "—";

    /// <summary>now / then, "new" for a key absent before, "gone" for one absent now; a dash when undefined (then 0 or below).</summary>
    internal static string Ratio(Window now, Window then) => (now, then) switch
    {
        _ when (now.Present && now.Value is null) || (then.Present && then.Value is null) => CountText.Unknown,
        (_, { Present: false }) => "new",
        ({ Present: false }, _) => "gone",
        ({ Value: { } a }, { Value: { } b }) when b > 0 && a >= 0 => ((double)a / (double)b).ToString("0.00", CultureInfo.InvariantCulture) + "×",
        _ => "—",
    };

    /// <summary>A window's measure: whether the key had anything in it, and its value (null: unknown, a count it depends on saturated).</summary>
    internal readonly record struct Window(bool Present, Int128? Value);
}
