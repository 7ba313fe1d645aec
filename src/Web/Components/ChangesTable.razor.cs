using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tracefleet.Contract;

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
    /// The measured value of one window (0: now, 1: then): the column's count, or plus − minus for a net; null when the key
    /// had nothing in that window; <see cref="Int128.MaxValue"/> when a count it depends on is saturated (unknown).
    /// </summary>
    private Int128? Side(KeyChangeRow row, int side)
    {
        var probe = ProbeChoice.Of(Data?.Probe);
        ulong? Of(ValueColumn column) => side == 0 ? row.NowOf(column) : row.ThenOf(column);
        if (probe.Net is { } net && net.Name == Data?.Column)
        {
            var (plus, minus) = (Of(net.Plus), Of(net.Minus));
            return plus is null && minus is null ? null
                : CompareMath.EitherSaturated(plus, minus) ? Int128.MaxValue : (Int128)(plus ?? 0) - (minus ?? 0);
        }

        var column = probe.Columns.FirstOrDefault(c => c.Name == Data?.Column) ?? probe.RankedBy;
        return Of(column) is { } count ? (Counts.IsSaturated(count) ? Int128.MaxValue : count) : null;
    }

    /// <summary>The window's value; a dash where the key had nothing then (absent is not 0).</summary>
    internal static string Text(Int128? value) => value switch
    {
        null => "—",
        { } v when v == Int128.MaxValue => CountText.Unknown,
        { } v => v.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>now / then, "new" for a key absent before, "gone" for one absent now; a dash when undefined (then 0 or below).</summary>
    internal static string Ratio(Int128? now, Int128? then) => (now, then) switch
    {
        _ when now == Int128.MaxValue || then == Int128.MaxValue => CountText.Unknown,
        (_, null) => "new",
        (null, _) => "gone",
        ({ } a, { } b) when b > 0 && a >= 0 => ((double)a / (double)b).ToString("0.00", CultureInfo.InvariantCulture) + "×",
        _ => "—",
    };
}
