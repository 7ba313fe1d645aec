namespace Tracefleet.Web.Services;

/// <summary>
/// Facts shown on one line joined by " · " (<c>linux · 6.12.0 · backend bpftrace · agent 0.1.0</c>, a tab's title): a
/// fact that is not known (null, empty or blank) is left out with its label, so no line shows an empty part between two
/// dots (a replaying agent reports no kernel).
/// </summary>
public static class FactLine
{
    public const string Separator = " · ";

    /// <summary>The parts that are known, in order.</summary>
    public static IReadOnlyList<string> Parts(params IEnumerable<string?> parts) =>
        [.. parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!)];

    /// <summary>The parts that are known, joined by <see cref="Separator"/>; empty when none is.</summary>
    public static string Join(params IEnumerable<string?> parts) => string.Join(Separator, Parts(parts));

    /// <summary><c>backend bpftrace</c>: the value after its label; null (left out by <see cref="Parts"/>) when the value is not known.</summary>
    public static string? Labelled(string label, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{label} {value}";
}
