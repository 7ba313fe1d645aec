using System.Threading.Channels;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Snapshots;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.TestSupport;

namespace Tracefleet.Agent.Tests.Snapshots;

public class SnapshotAssemblerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 1, DateTimeKind.Utc);

    private static (SnapshotAssembler Assembler, List<Snapshot> Delivered) NewAssembler(int intervalSeconds, Func<ulong, ulong, string>? nameFile = null)
    {
        var delivered = new List<Snapshot>();
        var assembler = new SnapshotAssembler(
            TimeSpan.FromSeconds(intervalSeconds),
            maxKeys: 1000,
            nameFile ?? DevInodeResolver.Unnamed,
            (snapshot, _) =>
            {
                delivered.Add(snapshot);
                return Task.CompletedTask;
            });
        return (assembler, delivered);
    }

    private static ParsedInterval PageFaults(params (string Key, ulong Faults)[] rows) =>
        new(TableFormats.PageFaults, [.. rows.Select(r => new ParsedRow(r.Key, [r.Faults]))], 0);

    private static ParsedInterval DevInode(params (ulong Device, ulong Inode, ulong Faults)[] rows) =>
        new(TableFormats.PageFaultsDevInode, [.. rows.Select(r => new ParsedRow(DevInodeKey.Format(r.Device, r.Inode), [r.Faults]))], 0);

    private static (string Key, ulong First)[] Rows(Snapshot snapshot) =>
        [.. WireForms.Table(snapshot).Select(r => (r.Key, r.Values[0])).OrderBy(r => r.Key, StringComparer.Ordinal)];

    [Fact]
    public async Task AddAsync_ThreeTablesAtThreeSeconds_OneSnapshotOfThreeSecondsFromTheFirstTablesSecond()
    {
        var (assembler, delivered) = NewAssembler(3);

        for (var i = 0; i < 3; i++)
        {
            await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 1UL + (ulong)i)), T0.AddSeconds(i)), CancellationToken.None).WaitAsync(Timeout);
        }

        var snapshot = Assert.Single(delivered);
        Assert.Equal(3000u, snapshot.DurationMs);
        Assert.Equal(new DateTimeOffset(T0).ToUnixTimeMilliseconds() - 1000, snapshot.StartUnixMs);
        Assert.Equal([("a", 6UL)], Rows(snapshot));
    }

    [Fact]
    public async Task AddAsync_TableSplitByAQuietSpell_BothPartsCoverTheSameSecond()
    {
        // A loaded host: the tracer stalled mid-table long enough for the table to be closed early.
        var (assembler, delivered) = NewAssembler(1);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 5)), T0), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("b", 7)) with { Continuation = true }, T0.AddMilliseconds(450)), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 1)), T0.AddSeconds(1)), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(3, delivered.Count);
        Assert.Equal(delivered[0].StartUnixMs, delivered[1].StartUnixMs);
        Assert.Equal([1000u, 1000u, 1000u], delivered.Select(s => s.DurationMs));
        Assert.Equal(delivered[0].StartUnixMs + 1000, delivered[2].StartUnixMs);
    }

    [Fact]
    public async Task FlushAsync_TablesShortOfAnInterval_DeliveredAsAShorterSnapshot()
    {
        var (assembler, delivered) = NewAssembler(5);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 2)), T0), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 3)), T0.AddSeconds(1)), CancellationToken.None).WaitAsync(Timeout);
        Assert.Empty(delivered);

        await assembler.FlushAsync(CancellationToken.None).WaitAsync(Timeout);

        var snapshot = Assert.Single(delivered);
        Assert.Equal(2000u, snapshot.DurationMs);
        Assert.Equal([("a", 5UL)], Rows(snapshot));
        Assert.Equal(1, assembler.Delivered);
    }

    [Fact]
    public async Task AddAsync_TwoSourcesOfOneProbe_SummedApart()
    {
        var (assembler, delivered) = NewAssembler(2);

        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 1)), T0, Source: 0), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("b", 10)), T0, Source: 1), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("a", 2)), T0.AddSeconds(1), Source: 0), CancellationToken.None).WaitAsync(Timeout);
        await assembler.AddAsync(new CompletedInterval(PageFaults(("b", 20)), T0.AddSeconds(1), Source: 1), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(2, delivered.Count);
        Assert.Equal([("a", 3UL)], Rows(delivered[0]));
        Assert.Equal([("b", 30UL)], Rows(delivered[1]));
        Assert.All(delivered, s => Assert.Equal(2000u, s.DurationMs));
    }

    [Fact]
    public async Task AddAsync_DevInodeKeysOfAnotherHost_NamedByDeviceAndInode()
    {
        var (assembler, delivered) = NewAssembler(1);

        await assembler.AddAsync(new CompletedInterval(DevInode((1048577, 2, 1), ((8UL << 20) | 17, 5, 4)), T0), CancellationToken.None).WaitAsync(Timeout);

        var snapshot = Assert.Single(delivered);
        Assert.Equal([("[dev 1:1 ino 2]", 1UL), ("[dev 8:17 ino 5]", 4UL)], Rows(snapshot));
    }

    [Fact]
    public async Task AddAsync_NamesEqualUnderTheKeyRule_SummedIntoOneRowWithoutNul()
    {
        // Two inodes named alike, one name with a newline: one row per name, each key as the rule makes it.
        var names = new Dictionary<ulong, string> { [1] = "libc.so.6", [2] = "libc.so.6", [3] = "evil\n      99 forged" };
        var (assembler, delivered) = NewAssembler(1, (_, inode) => names[inode]);

        await assembler.AddAsync(new CompletedInterval(DevInode((9, 1, 1), (9, 2, 2), (9, 3, 3)), T0), CancellationToken.None).WaitAsync(Timeout);

        var snapshot = Assert.Single(delivered);
        Assert.Equal([("evil\\x0a      99 forged", 3UL), ("libc.so.6", 3UL)], Rows(snapshot));
        snapshot.Sequence = 1;
        Assert.Null(SnapshotRules.Check(snapshot));
    }

    [Fact]
    public async Task RunAsync_ChannelOfLiveTables_SummedAndTheRestFlushedAtTheEnd()
    {
        var (assembler, delivered) = NewAssembler(2);
        var tables = Channel.CreateUnbounded<CompletedInterval>();
        for (var i = 0; i < 5; i++)
        {
            tables.Writer.TryWrite(new CompletedInterval(PageFaults(("a", 1)), T0.AddSeconds(i)));
        }

        tables.Writer.Complete();
        await assembler.RunAsync(tables.Reader, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal([2000u, 2000u, 1000u], delivered.Select(s => s.DurationMs));
        Assert.Equal(5L, delivered.Sum(s => (long)WireForms.Table(s).Single().Values[0]));
        Assert.Equal(
            [0L, 2000L, 4000L],
            delivered.Select(s => s.StartUnixMs - delivered[0].StartUnixMs));
    }
}
