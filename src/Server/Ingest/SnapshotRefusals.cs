using System.Collections.Concurrent;

namespace Tracefleet.Server.Ingest;

/// <summary>Snapshots not stored, by host, probe and kind (see <see cref="Refusal"/>, plus conflicts), since the server started: for /metrics.</summary>
public sealed class SnapshotRefusals
{
    /// <summary>A sequence already stored with other content (a restored or copied agent state).</summary>
    public const string Conflict = "conflict";

    private readonly ConcurrentDictionary<(string Host, string Probe, string Kind), long> _counts = new();

    public void Count(string host, string probe, string kind) =>
        _counts.AddOrUpdate((host, probe, kind), 1, (_, n) => n + 1);

    public IEnumerable<(string Host, string Probe, string Kind, long Count)> All() =>
        _counts.Select(kv => (kv.Key.Host, kv.Key.Probe, kv.Key.Kind, kv.Value));
}
