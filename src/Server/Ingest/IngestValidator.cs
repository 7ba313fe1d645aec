using Tracefleet.Contract.V1;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>Checks what an agent sends; each refusal says what is wrong, for the agent's log.</summary>
public static class IngestValidator
{
    public const int MaxHostNameLength = 253;
    public const int MaxKeyLength = 4096;

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

    public static string? CheckSnapshot(Snapshot snapshot, int maxKeyLength = MaxKeyLength)
    {
        if (!ProbeNames.TryParse(snapshot.Probe, out var probe))
        {
            return $"snapshot {snapshot.Sequence}: unknown probe \"{snapshot.Probe}\"";
        }

        if (snapshot.Sequence == 0)
        {
            return "snapshot sequence numbers start at 1";
        }

        if (snapshot.DurationMs == 0 || snapshot.StartUnixMs <= 0)
        {
            return $"snapshot {snapshot.Sequence}: start and duration must be positive";
        }

        var keys = new HashSet<string>(snapshot.Rows.Count, StringComparer.Ordinal);
        foreach (var row in snapshot.Rows)
        {
            if (row.Key.Length == 0 || row.Key.Length > maxKeyLength)
            {
                return $"snapshot {snapshot.Sequence}: keys must be 1 to {maxKeyLength} characters long (Limits:MaxKeyLength)";
            }

            // No file or cache name holds one, and PostgreSQL text cannot: a store write would fail for the whole batch.
            if (row.Key.Contains('\0', StringComparison.Ordinal))
            {
                return $"snapshot {snapshot.Sequence}: keys must not contain NUL characters";
            }

            if (row.Values.Count != probe.ValueCount())
            {
                return $"snapshot {snapshot.Sequence}: a {snapshot.Probe} row has {probe.ValueCount()} values, not {row.Values.Count} (key \"{row.Key}\")";
            }

            if (!keys.Add(row.Key))
            {
                return $"snapshot {snapshot.Sequence}: key \"{row.Key}\" appears twice";
            }
        }

        return null;
    }
}
