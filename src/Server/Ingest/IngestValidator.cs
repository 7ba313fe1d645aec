using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>Checks what an agent sends; each refusal says what is wrong, for the agent's log.</summary>
public static class IngestValidator
{
    public const int MaxHostNameLength = 253;

    public static string? CheckHello(Hello hello)
    {
        if (hello.Host.Length is 0 or > MaxHostNameLength)
        {
            return $"host name must be 1 to {MaxHostNameLength} characters long";
        }

        if (hello.Host.Any(char.IsControl))
        {
            return "host name must not contain control characters";
        }

        foreach (var probe in hello.Probes)
        {
            if (!ProbeNames.TryParse(probe.Name, out _))
            {
                return $"unknown probe \"{probe.Name}\"; known: {ProbeNames.PageFaults}, {ProbeNames.Kmem}";
            }
        }

        return hello.Epoch == 0 ? "epoch must be non-zero" : null;
    }

    /// <summary>
    /// Null when a probe status can be kept and shown: a finite, non-negative rate, a time the API can print, counts the
    /// API's signed numbers hold. Otherwise why not; the status is dropped, the stream goes on.
    /// </summary>
    public static string? CheckStatus(ProbeStatus status)
    {
        if (!double.IsFinite(status.LinesPerSecond) || status.LinesPerSecond < 0)
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: lines_per_second must be a finite number, not {status.LinesPerSecond}";
        }

        if (status.AtUnixMs is < SnapshotRules.MinStartUnixMs or > SnapshotRules.MaxStartUnixMs)
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: at_unix_ms {status.AtUnixMs} is not a time between 2000 and 9999";
        }

        return status.MalformedLines > long.MaxValue || status.RejectedSnapshots > long.MaxValue
            ? $"probe status of {SnapshotRules.Printable(status.Probe)}: a count is above 2^63 - 1"
            : null;
    }
}
