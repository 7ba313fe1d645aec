using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class IngestValidatorTests
{
    [Fact]
    public void CheckHello_WellFormed_Accepted() =>
        Assert.Null(IngestValidator.CheckHello(Hello("web-01", "pagefaults", "kmem")));

    [Theory]
    [InlineData("", "host name must be 1 to 253")]
    [InlineData("bad\nhost", "control characters")]
    public void CheckHello_BadHostName_RefusedSayingWhy(string host, string expected) =>
        Assert.Contains(expected, IngestValidator.CheckHello(Hello(host)), StringComparison.Ordinal);

    [Fact]
    public void CheckHello_HostNameTooLong_Refused() =>
        Assert.NotNull(IngestValidator.CheckHello(Hello(new string('h', 254))));

    [Fact]
    public void CheckHello_UnknownProbe_RefusedNamingIt() =>
        Assert.Contains("\"syscalls\"", IngestValidator.CheckHello(Hello("h", "syscalls")), StringComparison.Ordinal);

    [Fact]
    public void CheckHello_ZeroEpoch_Refused()
    {
        var hello = Hello("h");
        hello.Epoch = 0;
        Assert.Contains("epoch", IngestValidator.CheckHello(hello), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckSnapshot_WellFormedKmem_Accepted() =>
        Assert.Null(IngestValidator.CheckSnapshot(Snapshot("kmem", ("dentry", [5, 3]), ("filp", [1, 0]))));

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void CheckSnapshot_Malformed_RefusedSayingWhy(Snapshot snapshot, string expected) =>
        Assert.Contains(expected, IngestValidator.CheckSnapshot(snapshot), StringComparison.Ordinal);

    public static TheoryData<Snapshot, string> BadSnapshots()
    {
        var zeroSequence = Snapshot("kmem", ("dentry", [1, 1]));
        zeroSequence.Sequence = 0;
        var noDuration = Snapshot("kmem", ("dentry", [1, 1]));
        noDuration.DurationMs = 0;
        return new()
        {
            { Snapshot("syscalls", ("x", [1])), "unknown probe" },
            { zeroSequence, "start at 1" },
            { noDuration, "must be positive" },
            { Snapshot("pagefaults", ("libc.so.6", [1, 2])), "has 1 values, not 2" },
            { Snapshot("kmem", ("dentry", [1])), "has 2 values, not 1" },
            { Snapshot("pagefaults", ("", [1])), "keys must be 1 to 4096" },
            { Snapshot("pagefaults", (new string('k', 4097), [1])), "keys must be 1 to 4096" },
            { Snapshot("pagefaults", ("libc.so.6", [1]), ("libc.so.6", [2])), "appears twice" },
            { Snapshot("pagefaults", ("libc.so.6\0.bak", [1])), "must not contain NUL" },
        };
    }

    private static Hello Hello(string host, params string[] probes)
    {
        var hello = new Hello { Host = host, Os = "linux", Backend = "replay", Epoch = 42 };
        hello.Probes.AddRange(probes.Select(p => new ProbeInfo { Name = p }));
        return hello;
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
