using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>The admission checks: every field range-checked, so that no accepted snapshot can fail a write batch or an endpoint.</summary>
public sealed class SnapshotRulesTests
{
    [Fact]
    public void Check_WellFormedKmem_Accepted() =>
        Assert.Null(SnapshotRules.Check(Snapshot("kmem", ("dentry", [5, 3]), ("filp", [1, 0]))));

    [Fact]
    public void Check_ValuesAtTheTopOfTheirRange_Accepted()
    {
        var snapshot = Snapshot("kmem", ("dentry", [ulong.MaxValue, ulong.MaxValue]));
        snapshot.Sequence = SnapshotRules.MaxSequence;
        snapshot.DurationMs = SnapshotRules.MaxDurationMs;
        snapshot.MalformedLines = uint.MaxValue;

        Assert.Null(SnapshotRules.Check(snapshot));
    }

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void Check_Malformed_RefusedSayingWhy(Snapshot snapshot, string expected) =>
        Assert.Contains(expected, SnapshotRules.Check(snapshot), StringComparison.Ordinal);

    public static TheoryData<Snapshot, string> BadSnapshots()
    {
        Snapshot With(Action<Snapshot> change)
        {
            var snapshot = Snapshot("kmem", ("dentry", [1, 1]));
            change(snapshot);
            return snapshot;
        }

        return new()
        {
            { Snapshot("syscalls", ("x", [1])), "unknown probe \"syscalls\"" },
            { Snapshot("sys\u001bcalls", ("x", [1])), "unknown probe \"sys\\x1bcalls\"" },
            { With(s => s.Sequence = 0), "outside 1 to" },
            { With(s => s.Sequence = 1UL << 63), "outside 1 to 9223372036854775807" },
            { With(s => s.DurationMs = 0), "duration_ms 0 is outside" },
            { With(s => s.DurationMs = 1U << 31), "duration_ms 2147483648 is outside" },
            { With(s => s.StartUnixMs = long.MaxValue), "start_unix_ms 9223372036854775807 is not a time" },
            { With(s => s.StartUnixMs = -1), "start_unix_ms -1 is not a time" },
            { With(s => s.StartUnixMs = 0), "start_unix_ms 0 is not a time" },
            { Snapshot("pagefaults", ("libc.so.6", [1, 2])), "has 1 values, not 2" },
            { Snapshot("kmem", ("dentry", [1])), "has 2 values, not 1" },
            { Snapshot("pagefaults", ("", [1])), "a key must be 1 to 4096 characters" },
            { Snapshot("pagefaults", (new string('k', 4097), [1])), "a key must be 1 to 4096 characters" },
            { Snapshot("pagefaults", ("libc.so.6\0.bak", [1])), "without control characters" },
            { Snapshot("pagefaults", ("evil\u001b[2Jname", [1])), "without control characters" },
            { Snapshot("pagefaults", ("libc.so.6", [1]), ("libc.so.6", [2])), "appears twice" },
        };
    }

    private static Snapshot Snapshot(string probe, params (string Key, ulong[] Values)[] rows)
    {
        var snapshot = new Snapshot { Sequence = 1, Probe = probe, StartUnixMs = 1_700_000_000_000, DurationMs = 1000 };
        foreach (var (key, values) in rows)
        {
            var row = new Row { Key = key };
            row.Values.AddRange(values);
            snapshot.Rows.Add(row);
        }

        return snapshot;
    }
}
