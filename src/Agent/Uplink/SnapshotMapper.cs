using Tracefleet.Agent.Parsing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// Maps a parsed table onto the wire's <see cref="Snapshot"/> in the columnar form (<see cref="SnapshotColumns"/>: the keys
/// and the values as two packed arrays, no message per row); the sequence is set by the <see cref="Outbox"/>.
/// </summary>
public static class SnapshotMapper
{
    /// <summary>Maps a table, keeping at most <paramref name="maxKeys"/> keys (the rest summed into "(other)"; 0: all).</summary>
    public static Snapshot ToSnapshot(ParsedInterval interval, long startUnixMs, TimeSpan duration, int maxKeys = 0)
    {
        var snapshot = new Snapshot
        {
            Probe = interval.Probe.Name,
            StartUnixMs = startUnixMs,
            DurationMs = (uint)duration.TotalMilliseconds,
            MalformedLines = (uint)interval.MalformedLines,
        };
        var valueCount = interval.Probe.ValueCount;
        snapshot.Keys.Capacity = interval.Rows.Count;
        snapshot.Values.Capacity = interval.Rows.Count * valueCount;
        foreach (var row in interval.Rows)
        {
            snapshot.Keys.Add(row.Key);
            for (var i = 0; i < valueCount; i++)
            {
                snapshot.Values.Add(row.Values[i]);
            }
        }

        KeyBudget.Fold(snapshot, maxKeys);
        return snapshot;
    }
}
