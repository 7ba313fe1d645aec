namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>
/// Refuses scripts that could do more than count: SystemTap's embedded C (<c>%{ … %}</c>, which needs guru mode) and guru
/// mode itself, DTrace's destructive mode (<c>#pragma D option destructive</c>, <c>-w</c>). The agent never passes a
/// tracer options that would allow them (bpftrace's unsafe builtins need <c>--unsafe</c>, which it never passes), so
/// what is left to check is the script's own text.
/// </summary>
public static class ScriptSafety
{
    /// <summary>Null when <paramref name="script"/>, for <paramref name="tracer"/>, only observes; otherwise why it is refused.</summary>
    public static string? Check(BackendChoice tracer, string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var firstLine = script.AsSpan()[..Math.Max(0, script.IndexOf('\n') is var end and >= 0 ? end : script.Length)];
        var shebang = firstLine.StartsWith("#!") ? firstLine.ToString() : "";
        return tracer switch
        {
            BackendChoice.Stap when script.Contains("%{", StringComparison.Ordinal) =>
                "embedded C (%{ … %}) needs SystemTap's guru mode, which the agent never allows",
            BackendChoice.Stap when HasOption(shebang, "-g") || shebang.Contains("--guru", StringComparison.Ordinal) =>
                "SystemTap guru mode (-g) is never allowed",
            BackendChoice.Dtrace when script.Contains("option destructive", StringComparison.Ordinal) =>
                "DTrace destructive mode (#pragma D option destructive) is never allowed",
            BackendChoice.Dtrace when HasOption(shebang, "-w") =>
                "DTrace destructive mode (-w) is never allowed",
            BackendChoice.Bpftrace when shebang.Contains("--unsafe", StringComparison.Ordinal) =>
                "bpftrace --unsafe is never allowed",
            _ => null,
        };
    }

    /// <summary>True when a shebang passes <paramref name="option"/> alone or among bundled single-letter options (<c>-qCws</c>).</summary>
    private static bool HasOption(string shebang, string option) =>
        shebang.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Any(word => word == option || (word.Length > 1 && word[0] == '-' && word[1] != '-' && word.Contains(option[1], StringComparison.Ordinal)));
}
