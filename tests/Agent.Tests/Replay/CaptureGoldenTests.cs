using Tracefleet.TestSupport;
using Tracefleet.Agent.Replay;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Replay;

/// <summary>Every real capture, read by the agent, must say exactly what an independent naive reading says.</summary>
public class CaptureGoldenTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static TheoryData<string> RealCaptures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Fixtures.RealCaptures())
        {
            data.Add(Path.GetRelativePath(Fixtures.Root, path));
        }

        return data;
    }

    [Fact]
    public void RealCaptures_EveryFormat_Present()
    {
        var names = Fixtures.RealCaptures().Select(Path.GetFileName).ToHashSet();

        Assert.Superset(
            new HashSet<string?>
            {
                "linux-stap-pfstat.txt", "linux-stap-kmemstat.txt", "solaris-dtrace-pfstat.txt", "solaris-dtrace-kmemstat.txt",
                "pfstat_example.txt", "kmemstat_example.txt",
            },
            names);
    }

    [Theory]
    [MemberData(nameof(RealCaptures))]
    public async Task ReadAsync_RealCapture_EachIntervalMatchesNaiveReference(string capture)
    {
        var path = Path.Combine(Fixtures.Root, capture);
        var expected = NaiveCapture.Read(path, DevInodeKey.Format);

        var intervals = await CaptureFile.ReadAsync(path, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(expected.Count, intervals.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(Sorted(expected[i]), Sorted(intervals[i]));
        }
    }

    [Theory]
    [MemberData(nameof(RealCaptures))]
    public async Task ReadAsync_RealCapture_TotalsPerKeyMatchNaiveReference(string capture)
    {
        var path = Path.Combine(Fixtures.Root, capture);
        var expected = Totals(NaiveCapture.Read(path, DevInodeKey.Format).SelectMany(i => i.Select(kv => (kv.Key, kv.Value.First, kv.Value.Second))));

        var intervals = await CaptureFile.ReadAsync(path, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(expected, Totals(intervals.SelectMany(i => i.Rows.Select(IntervalReading.AsReference))));
        Assert.All(intervals, i => Assert.Equal(0, i.MalformedLines));
    }

    [Fact]
    public async Task ReadAsync_BpftracePfstatExample_KeysAreDevInodeOrUnnamed()
    {
        var intervals = await CaptureFile.ReadAsync(Fixtures.Example("pfstat_example.txt"), CancellationToken.None).WaitAsync(Timeout);

        var keys = intervals.SelectMany(i => i.Rows).Select(r => r.Key).Distinct().ToList();
        Assert.All(intervals, i => Assert.Equal(TableFormats.PageFaultsDevInode, i.Format));
        Assert.Contains("???", keys);
        Assert.Contains(keys, k => DevInodeKey.TryParse(k, out var device, out _) && device == 266338304);
        Assert.All(keys, k => Assert.True(k == "???" || DevInodeKey.TryParse(k, out _, out _), k));
    }

    [Fact]
    public async Task ReadAsync_FileWithoutHeader_ThrowsInvalidData()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "       5 libc.so.6\nnot a table\n").WaitAsync(Timeout);

            var e = await Assert.ThrowsAsync<InvalidDataException>(() => CaptureFile.ReadAsync(path, CancellationToken.None).WaitAsync(Timeout));
            Assert.Contains("no table found", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (string Key, ulong First, ulong Second)[] Sorted(Dictionary<string, (ulong First, ulong Second)> rows) =>
        [.. rows.Select(kv => (kv.Key, kv.Value.First, kv.Value.Second)).OrderBy(r => r.Key, StringComparer.Ordinal)];

    private static (string Key, ulong First, ulong Second)[] Sorted(ParsedInterval interval) =>
        [.. interval.Rows.Select(IntervalReading.AsReference).OrderBy(r => r.Key, StringComparer.Ordinal)];

    private static (string Key, ulong First, ulong Second)[] Totals(IEnumerable<(string Key, ulong First, ulong Second)> rows) =>
        [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Aggregate(0UL, (sum, r) => checked(sum + r.First)), g.Aggregate(0UL, (sum, r) => checked(sum + r.Second))))
            .OrderBy(r => r.Key, StringComparer.Ordinal)];
}
