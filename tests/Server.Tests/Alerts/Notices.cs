using Tracefleet.Server.Alerts;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>Alert notices as the evaluator makes them: the labels every alert has, and a rule's own.</summary>
internal static class Notices
{
    public static readonly DateTimeOffset StartsAt = new(2026, 11, 26, 6, 0, 1, 250, TimeSpan.Zero);

    public static AlertNotice Firing(string fingerprint = "a1b2c3", string host = "web-01", string key = "/usr/lib/libc.so.6") => new(
        fingerprint,
        AlertPhase.Firing,
        new Dictionary<string, string>
        {
            ["alertname"] = "FaultStorm",
            ["host"] = host,
            ["probe"] = "pagefaults",
            ["severity"] = "critical",
            ["key"] = key,
            ["team"] = "storage",
        },
        new Dictionary<string, string> { ["summary"] = $"{key} faults 5000/s on {host}", ["runbook"] = "https://wiki.example.com/faults" },
        5000,
        StartsAt,
        null);

    public static AlertNotice Resolved(AlertNotice firing, DateTimeOffset endsAt) => firing with { Phase = AlertPhase.Resolved, EndsAt = endsAt };
}
