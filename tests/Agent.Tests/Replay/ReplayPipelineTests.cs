using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Agent.Replay;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Snapshots;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Agent.Uplink;
using Tracefleet.Contract.V1;
using Tracefleet.TestSupport;

namespace Tracefleet.Agent.Tests.Replay;

/// <summary>
/// A replay through the stage the tracers use, into a real outbox, wired as the agent wires it: one-second
/// tables summed into <c>--interval</c>, files of another host named by (device, inode), paced by acknowledgements.
/// </summary>
public sealed class ReplayPipelineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<string> _files = [];

    public void Dispose() => _files.ForEach(File.Delete);

    private string Capture(string latin1)
    {
        var path = CaptureBytes.WriteTemp(latin1);
        _files.Add(path);
        return path;
    }

    /// <summary>A pagefaults capture of <paramref name="tables"/> tables; table i (from 1) has one row "a" faulting i times.</summary>
    private string Tables(int tables)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= tables; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  FAULTS VMFILE\n{i,8} a\n");
        }

        return Capture(text.ToString());
    }

    private static (ReplaySource Replay, Outbox Outbox) NewReplay(string capture, int intervalSeconds = 1, int sendWindow = 256)
    {
        var options = new AgentOptions
        {
            Server = new Uri("http://127.0.0.1:1"),
            Host = "replay-test",
            Replay = [capture],
            Speed = 0,
            Interval = TimeSpan.FromSeconds(intervalSeconds),
            SendWindow = sendWindow,
        };
        var outbox = new Outbox(1, options.OutboxCapacity);
        var assembler = new SnapshotAssembler(options.Interval, options.MaxKeys, DevInodeResolver.Unnamed, (s, ct) => outbox.AddAsync(s, options.ReplayBacklog, ct));
        return (new ReplaySource(options, assembler, NullLogger<ReplaySource>.Instance, new FakeTimeProvider(Now)), outbox);
    }

    private static List<Snapshot> TakeAll(Outbox outbox)
    {
        var taken = new List<Snapshot>();
        while (outbox.TryTakeNext(int.MaxValue, out var snapshot))
        {
            taken.Add(snapshot);
        }

        return taken;
    }

    [Fact]
    public async Task RunAsync_TenTablesAtFiveSeconds_TwoFiveSecondSnapshotsWithTheSums()
    {
        var (replay, outbox) = NewReplay(Tables(10), intervalSeconds: 5);
        await replay.LoadAsync(CancellationToken.None).WaitAsync(Timeout);

        await replay.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        var snapshots = TakeAll(outbox);
        Assert.Equal([5000u, 5000u], snapshots.Select(s => s.DurationMs));
        // Table i of N starts N − i seconds before the replay started: tables 1–5 from −9 s, 6–10 from −4 s.
        Assert.Equal([Now.AddSeconds(-9).ToUnixTimeMilliseconds(), Now.AddSeconds(-4).ToUnixTimeMilliseconds()], snapshots.Select(s => s.StartUnixMs));
        Assert.Equal([1UL + 2 + 3 + 4 + 5, 6UL + 7 + 8 + 9 + 10], snapshots.Select(s => WireForms.Table(s).Single().Values[0]));
    }

    [Fact]
    public async Task RunAsync_TwelveTablesAtFiveSeconds_LastTwoTablesSentAsATwoSecondSnapshot()
    {
        var (replay, outbox) = NewReplay(Tables(12), intervalSeconds: 5);
        await replay.LoadAsync(CancellationToken.None).WaitAsync(Timeout);

        await replay.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        var snapshots = TakeAll(outbox);
        Assert.Equal([5000u, 5000u, 2000u], snapshots.Select(s => s.DurationMs));
        Assert.Equal(Now.AddSeconds(-1).ToUnixTimeMilliseconds(), snapshots[2].StartUnixMs);
        Assert.Equal(78L, snapshots.Sum(s => (long)WireForms.Table(s).Single().Values[0]));
    }

    [Fact]
    public async Task RunAsync_OneSecondInterval_EachTableItsOwnSecond()
    {
        var (replay, outbox) = NewReplay(Tables(3));
        await replay.LoadAsync(CancellationToken.None).WaitAsync(Timeout);

        await replay.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        var snapshots = TakeAll(outbox);
        Assert.All(snapshots, s => Assert.Equal(1000u, s.DurationMs));
        Assert.Equal([-2000L, -1000L, 0L], snapshots.Select(s => s.StartUnixMs - Now.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task RunAsync_DevInodeCaptureFromAnotherHost_KeysNamedByDeviceAndInode()
    {
        var (replay, outbox) = NewReplay(Capture("  FAULTS DEV INODE\n@faults[1048577, 2]: 1\n"));
        await replay.LoadAsync(CancellationToken.None).WaitAsync(Timeout);

        await replay.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        var row = Assert.Single(WireForms.Table(Assert.Single(TakeAll(outbox))));
        Assert.Equal("[dev 1:1 ino 2]", row.Key);
        Assert.Equal([1UL], row.Values);
    }

    [Fact]
    public async Task RunAsync_SpeedZero_WaitsWhileTheBacklogIsFullAndGoesOnWithAcknowledgements()
    {
        // A send window of 2 makes a backlog of 8: the replay of 50 tables may never run further ahead than that.
        var (replay, outbox) = NewReplay(Tables(50), sendWindow: 2);
        await replay.LoadAsync(CancellationToken.None).WaitAsync(Timeout);

        var run = Task.Run(() => replay.RunAsync(CancellationToken.None));
        var acknowledged = 0;
        var most = 0;
        while (!run.IsCompleted || outbox.Count > 0)
        {
            var change = outbox.NextChange();
            most = Math.Max(most, outbox.Count);
            if (outbox.Count == 8 || run.IsCompleted)
            {
                // The replay waits here until the server acknowledges.
                var taken = TakeAll(outbox);
                outbox.Acknowledge(taken.Select(s => s.Sequence));
                acknowledged += taken.Count;
                continue;
            }

            await Task.WhenAny(change, run).WaitAsync(Timeout);
        }

        await run.WaitAsync(Timeout);
        Assert.Equal(50, acknowledged);
        Assert.Equal(8, most);
        Assert.Equal(0, outbox.Dropped);
    }
}
