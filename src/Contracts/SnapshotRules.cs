using Tracefleet.Contract.Probes;
using Tracefleet.Contract.V1;

namespace Tracefleet.Contract;

/// <summary>
/// What a snapshot must be for the server to store it as sent, checked once at admission (and by the agent's
/// tests against what its parsers produce). Every bound here is also what the store's columns can hold.
/// </summary>
public static class SnapshotRules
{
    /// <summary>Longest interval a snapshot may cover: a day, in milliseconds (fits a 32-bit signed column).</summary>
    public const uint MaxDurationMs = 86_400_000;

    /// <summary>Highest sequence number: the store keeps sequences in a signed 64-bit column.</summary>
    public const ulong MaxSequence = long.MaxValue;

    /// <summary>Earliest interval start: 2000-01-01T00:00:00Z in Unix milliseconds; nothing older was ever traced by Tracefleet.</summary>
    public const long MinStartUnixMs = 946_684_800_000;

    /// <summary>Latest interval start any clock can give: 9999-12-31T23:59:59.999Z, the end of .NET's calendar, less a day.</summary>
    public const long MaxStartUnixMs = 253_402_300_799_999 - MaxDurationMs;

    /// <summary>
    /// The most values a probe's rows may carry (its <see cref="ProbeDefinition.ValueCount"/>): the store holds a row's
    /// values inline at this width, so summing rows allocates nothing. Kept small because every row, sum and rollup
    /// statistic held in memory is this wide (a rollup key holds three such sets). A test holds every catalogue probe to it.
    /// </summary>
    public const int MaxValuesPerRow = 4;

    /// <summary>Values per row of a probe (see <see cref="ProbeCatalogue"/>); null for a probe that is none of them.</summary>
    public static int? ValueCount(string probe) => ProbeCatalogue.Find(probe)?.ValueCount;

    /// <summary>Null when the snapshot can be stored as it is; otherwise what is wrong with it, in plain words.</summary>
    public static string? Check(Snapshot snapshot, int maxKeyLength = KeyRule.MaxLength)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (CheckFields(snapshot) is { } problem)
        {
            return problem;
        }

        // Either form: CheckFields let through one only.
        var keys = new HashSet<string>(snapshot.Rows.Count + snapshot.Keys.Count, StringComparer.Ordinal);
        foreach (var key in snapshot.Rows.Select(r => r.Key).Concat(snapshot.Keys))
        {
            if (!KeyRule.IsValid(key, maxKeyLength))
            {
                return $"snapshot {snapshot.Sequence}: a key must be 1 to {maxKeyLength} characters without control characters";
            }

            if (!keys.Add(key))
            {
                return $"snapshot {snapshot.Sequence}: a key appears twice";
            }
        }

        return null;
    }

    /// <summary>The checks on a snapshot's own fields and its table's shape (<see cref="SnapshotColumns.CheckShape"/>), without its keys: what no repair can fix.</summary>
    public static string? CheckFields(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (ValueCount(snapshot.Probe) is not { } values)
        {
            return $"snapshot {snapshot.Sequence}: unknown probe \"{Printable(snapshot.Probe)}\"";
        }

        if (snapshot.Sequence is 0 or > MaxSequence)
        {
            return $"snapshot sequence {snapshot.Sequence} is outside 1 to {MaxSequence}";
        }

        if (snapshot.DurationMs is 0 or > MaxDurationMs)
        {
            return $"snapshot {snapshot.Sequence}: duration_ms {snapshot.DurationMs} is outside 1 to {MaxDurationMs} (a day)";
        }

        if (snapshot.StartUnixMs is < MinStartUnixMs or > MaxStartUnixMs)
        {
            return $"snapshot {snapshot.Sequence}: start_unix_ms {snapshot.StartUnixMs} is not a time between 2000 and 9999";
        }

        return SnapshotColumns.CheckShape(snapshot, values);
    }

    /// <summary>A name from the wire as it may appear in a message: control characters escaped, at most 64 characters.</summary>
    public static string Printable(string text) => KeyRule.Normalize(text.Length == 0 ? "(empty)" : text, 64);
}
