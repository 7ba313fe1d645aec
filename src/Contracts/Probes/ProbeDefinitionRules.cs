using System.Text.RegularExpressions;

namespace Tracefleet.Contract.Probes;

/// <summary>
/// What a probe's definition must be for every part of Tracefleet to carry it: its name and column names become metric
/// names (<c>tracefleet_&lt;probe&gt;_&lt;column&gt;_total</c>), URL parameters and JSON properties; its texts are shown.
/// </summary>
public static partial class ProbeDefinitionRules
{
    /// <summary>Longest probe or column name: metric names stay readable.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Longest title, meaning or unit.</summary>
    public const int MaxTextLength = 200;

    /// <summary>
    /// Names a value column cannot take: the fixed properties of the records that carry one property per column (see
    /// <see cref="Json.IColumnRecordJson.Fixed"/>) or an object per column (<see cref="Json.IColumnObjectsJson.ColumnObjects"/>: a series point's <c>peaks</c> and <c>lows</c>), and <c>net</c>'s usual name.
    /// </summary>
    public static IReadOnlySet<string> ReservedColumnNames { get; } =
        new HashSet<string>(["backend", "hosts", "key", "lastSeen", "lastSnapshot", "name", "online", "os", "reporting", "t", "host", "probe", "probes", "change", "peaks", "lows"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="probe"/> can be carried; otherwise what is wrong, naming the field.</summary>
    public static string? Check(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var name = probe.Name ?? "";
        if (!Identifier().IsMatch(name))
        {
            return $"name \"{SnapshotRules.Printable(name)}\": 1 to {MaxNameLength} lowercase letters, digits and '_', starting with a letter";
        }

        return Text("title", probe.Title)
            ?? Text("key.meaning", probe.Key?.Meaning)
            ?? (probe.Key is { Noun: { } noun } && Noun().IsMatch(noun) ? null : $"key.noun \"{SnapshotRules.Printable(probe.Key?.Noun ?? "")}\": one lowercase word of letters and digits")
            ?? Columns(probe)
            ?? Net(probe);
    }

    private static string? Columns(ProbeDefinition probe)
    {
        if (probe.Columns is null || probe.Columns.Count is 0 or > SnapshotRules.MaxValuesPerRow)
        {
            return $"columns: 1 to {SnapshotRules.MaxValuesPerRow} value columns, not {probe.Columns?.Count ?? 0}";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in probe.Columns)
        {
            var name = column?.Name ?? "";
            if (!Identifier().IsMatch(name))
            {
                return $"columns: \"{SnapshotRules.Printable(name)}\" is no column name (1 to {MaxNameLength} lowercase letters, digits and '_', starting with a letter)";
            }

            if (ReservedColumnNames.Contains(name) || string.Equals(name, probe.TopField, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, probe.TopNamedField, StringComparison.OrdinalIgnoreCase))
            {
                return $"columns: \"{name}\" is a field every record already has; choose another name";
            }

            if (!seen.Add(name))
            {
                return $"columns: \"{name}\" is given twice";
            }

            if ((Text($"columns.{name}.unit", column!.Unit) ?? Text($"columns.{name}.meaning", column.Meaning)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Net(ProbeDefinition probe)
    {
        if (probe.Net is not { } net)
        {
            return null;
        }

        if (!Identifier().IsMatch(net.Name ?? "") || probe.ColumnIndex(net.Name!) >= 0 || ReservedColumnNames.Contains(net.Name!))
        {
            return $"net.name \"{SnapshotRules.Printable(net.Name ?? "")}\": a column name of its own, not one of the value columns";
        }

        return probe.Columns.Contains(net.Plus) && probe.Columns.Contains(net.Minus) && net.Plus != net.Minus
            ? null
            : "net: plus and minus must be two different value columns of the probe";
    }

    private static string? Text(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength || text.Any(char.IsControl)
            ? $"{field}: 1 to {MaxTextLength} characters of text on one line"
            : null;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[a-z][a-z0-9]{0,31}$")]
    private static partial Regex Noun();
}
