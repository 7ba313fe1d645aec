using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Agent.Spool;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Agent.Uplink;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Uplink;

/// <summary>
/// A conflict (the server stored these sequence numbers before, with other content) ends the epoch: what was sent under
/// it is settled first, then everything left is numbered again under a new one, in the spool too.
/// </summary>
public sealed class OutboxEpochTests
{
    private static Snapshot NewSnapshot(string key) => new()
    {
        Probe = "pagefaults",
        StartUnixMs = 1_700_000_000_000,
        DurationMs = 1000,
        Rows = { new Row { Key = key, Values = { 1 } } },
    };

    private static List<Snapshot> Take(Outbox outbox, int window = int.MaxValue)
    {
        var taken = new List<Snapshot>();
        while (outbox.TryTakeNext(window, out var snapshot))
        {
            taken.Add(snapshot);
        }

        return taken;
    }

    [Fact]
    public void Conflict_SentUnsettledGoAgainUnderTheOldEpochNeverSentWait()
    {
        var sequences = new SequenceFrom(1);
        var outbox = new Outbox(7, 100, sequences);
        foreach (var key in new[] { "a", "b", "c", "d", "e" })
        {
            outbox.Add(NewSnapshot(key));
        }

        Assert.Equal([1UL, 2UL, 3UL], Take(outbox, window: 3).Select(s => s.Sequence));

        outbox.Conflict([1]);

        Assert.True(outbox.NeedsNewEpoch);
        Assert.False(outbox.ReadyForNewEpoch);
        // 2 and 3 are in flight; 4 and 5 were never sent under epoch 7, so they wait for the new epoch.
        Assert.Empty(Take(outbox));
        outbox.Rewind();
        Assert.Equal([2UL, 3UL], Take(outbox).Select(s => s.Sequence));
        outbox.Acknowledge([2]);
        outbox.Conflict([3]);
        Assert.True(outbox.ReadyForNewEpoch);
        Assert.Equal(7UL, outbox.Epoch);
    }

    [Fact]
    public void StartNewEpoch_RenumbersConflictedAndUnsentInTheirOldOrder()
    {
        var sequences = new SequenceFrom(4001);
        var store = new FakeSnapshotStore();
        var outbox = new Outbox(7, 100, sequences, store);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            outbox.Add(NewSnapshot(key));
        }

        Take(outbox, window: 2);
        outbox.Acknowledge([4001]);
        outbox.Conflict([4002]);
        Assert.True(outbox.ReadyForNewEpoch);

        var (epoch, renumbered) = outbox.StartNewEpoch();

        Assert.Equal(101UL, epoch);
        Assert.Equal(101UL, outbox.Epoch);
        Assert.Equal(3, renumbered);
        Assert.False(outbox.NeedsNewEpoch);
        var sent = Take(outbox);
        Assert.Equal([(1UL, "b"), (2UL, "c"), (3UL, "d")], sent.Select(s => (s.Sequence, s.Rows[0].Key)));
        Assert.Equal([1UL, 2UL, 3UL], store.Saved.Keys);
        Assert.Equal(["b", "c", "d"], store.Saved.Values.Select(s => s.Rows[0].Key));
        // New snapshots continue the new epoch's numbers.
        Assert.Equal(4UL, outbox.Add(NewSnapshot("e")).Sequence);
    }

    [Fact]
    public void StartNewEpoch_WhileSentSnapshotsAreUnanswered_Throws()
    {
        var outbox = new Outbox(7, 100, new SequenceFrom(1));
        outbox.Add(NewSnapshot("a"));
        outbox.Add(NewSnapshot("b"));
        Take(outbox);
        outbox.Conflict([1]);

        Assert.Throws<InvalidOperationException>(() => outbox.StartNewEpoch());
    }

    [Fact]
    public void StartNewEpoch_WithARealSpool_RenumberedSnapshotsSurviveARestart()
    {
        var directory = Directory.CreateTempSubdirectory("tracefleet-epoch-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
            var spoolDir = Path.Combine(directory, "spool");
            var state = AgentState.Open(directory, () => 1);
            var spool = new SnapshotSpool(spoolDir, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance);
            var outbox = new Outbox(state.Epoch, int.MaxValue, state, spool);
            var oldEpoch = state.Epoch;
            foreach (var key in new[] { "a", "b", "c" })
            {
                outbox.Add(NewSnapshot(key));
            }

            Take(outbox);
            outbox.Conflict([1, 2, 3]);
            var (epoch, _) = outbox.StartNewEpoch();
            state.Dispose();

            Assert.NotEqual(oldEpoch, epoch);
            var reopened = AgentState.Open(directory, () => 1);
            var recovered = new SnapshotSpool(spoolDir, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance).Recover();
            Assert.Equal(epoch, reopened.Epoch);
            Assert.Equal([(1UL, "a"), (2UL, "b"), (3UL, "c")], recovered.Select(s => (s.Sequence, s.Rows[0].Key)));
            // Numbers are reserved in blocks: a reopened state skips some, and never reuses 1 to 3.
            Assert.True(reopened.Allocate() > 3);
            reopened.Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Reject_WithARealSpool_FileMovesToRejectedWithItsReasonAndIsNotRecovered()
    {
        var directory = Directory.CreateTempSubdirectory("tracefleet-rejected-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
            var spoolDir = Path.Combine(directory, "spool");
            var spool = new SnapshotSpool(spoolDir, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance);
            var outbox = new Outbox(1, int.MaxValue, new SequenceFrom(1), spool);
            outbox.Add(NewSnapshot("future"));
            outbox.Add(NewSnapshot("fine"));
            Take(outbox);

            outbox.Reject([1], "starts 3600 s ahead of the server's clock");

            var rejected = Path.Combine(directory, "rejected");
            Assert.Equal("starts 3600 s ahead of the server's clock\n", File.ReadAllText(Path.Combine(rejected, "00000000000000000001.reason")));
            Assert.Equal("future", Snapshot.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(rejected, "00000000000000000001.snap"))).Rows[0].Key);
            var recovered = new SnapshotSpool(spoolDir, long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance).Recover();
            Assert.Equal(["fine"], recovered.Select(s => s.Rows[0].Key));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Reject_ManyWithARealSpool_RejectedFolderStaysBounded()
    {
        var directory = Directory.CreateTempSubdirectory("tracefleet-rejected-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
            var spool = new SnapshotSpool(Path.Combine(directory, "spool"), long.MaxValue, TimeSpan.FromDays(1), time, NullLogger.Instance);
            var outbox = new Outbox(1, int.MaxValue, new SequenceFrom(1), spool);
            var count = RejectedFolder.MaxFiles + 25;
            for (var i = 0; i < count; i++)
            {
                outbox.Add(NewSnapshot($"k{i}"));
            }

            Take(outbox);
            outbox.Reject(Enumerable.Range(1, count).Select(i => (ulong)i), "invalid");

            var kept = Directory.GetFiles(Path.Combine(directory, "rejected"), "*.snap").Select(Path.GetFileNameWithoutExtension).Order().ToList();
            Assert.Equal(RejectedFolder.MaxFiles, kept.Count);
            // The newest are kept.
            Assert.Equal(((ulong)count).ToString("D20", System.Globalization.CultureInfo.InvariantCulture), kept[^1]);
            Assert.Equal(RejectedFolder.MaxFiles, Directory.GetFiles(Path.Combine(directory, "rejected"), "*.reason").Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
