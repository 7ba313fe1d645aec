using Tracefleet.Agent.Parsing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Uplink;

/// <summary>Maps a parsed table onto the wire's <see cref="Snapshot"/>; the sequence is set by the <see cref="Outbox"/>.</summary>
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
        foreach (var row in interval.Rows)
        {
            var wire = new Row { Key = row.Key };
            for (var i = 0; i < valueCount; i++)
            {
                wire.Values.Add(row.Values[i]);
            }

            snapshot.Rows.Add(wire);
        }

        KeyBudget.Fold(snapshot, maxKeys);
        return snapshot;
    }
}
