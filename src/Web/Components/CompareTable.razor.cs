using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

public partial class CompareTable
{
    /// <summary>The compare answer; null while loading.</summary>
    [Parameter]
    public CompareResponse? Data { get; set; }

    [Parameter]
    public string? SelectedKey { get; set; }

    [Parameter]
    public EventCallback<string> KeySelected { get; set; }

    /// <summary>The column compared: the one the probe's tops are ranked by.</summary>
    private ValueColumn Column => ProbeChoice.Of(Data?.Probe).RankedBy;

    private IEnumerable<(string Host, int Index)> Others => (Data?.Hosts ?? []).Select((h, i) => (h, i)).Skip(1);

    /// <summary>A host that never had the key shows a dash, not 0: absent and idle are different facts.</summary>
    internal static string Number(ulong? value) => value is { } v ? CountText.Format(v) : "—";

    /// <summary>A / B, or which side alone has the key; a dash when neither has it or B is 0.</summary>
    internal static string Ratio(ulong? a, ulong? b) => (a, b) switch
    {
        _ when CompareMath.EitherSaturated(a, b) => CountText.Unknown,
        (null, null) => "—",
        (_, null) => "only A",
        (null, _) => "only B",
        _ => CompareMath.Ratio(a, b) is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—",
    };

    /// <summary>A − B; a dash when neither host had the key (absent is not 0).</summary>
    internal static string Difference(ulong? a, ulong? b) =>
        a is null && b is null ? "—" : CountText.Difference(CompareMath.Difference(a, b));
}
