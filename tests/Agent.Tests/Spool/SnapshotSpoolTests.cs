using System.Text;
using CliWrap.Buffered;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Agent.Spool;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Spool;

public sealed class SnapshotSpoolTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("tracefleet-spool-").FullName;
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SnapshotSpool NewSpool(long maxBytes = long.MaxValue, TimeSpan? maxAge = null, CapturingLogger? logger = null) =>
        new(_directory, maxBytes, maxAge ?? TimeSpan.FromDays(1), _time, (ILogger?)logger ?? NullLogger.Instance);

    private Snapshot NewSnapshot(ulong sequence, string key = "libc.so.6", DateTimeOffset? start = null) => new()
    {
        Sequence = sequence,
        Probe = "pagefaults",
        StartUnixMs = (start ?? _time.GetUtcNow()).ToUnixTimeMilliseconds(),
        DurationMs = 1000,
        Rows = { new Row { Key = key, Values = { 5 } } },
    };

    private string[] SnapFiles() => [.. Directory.EnumerateFiles(_directory, "*.snap").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Save_ThenLoad_ReturnsTheSameSnapshotFromDisk()
    {
        var saved = NewSnapshot(7, "libxul.so");
        NewSpool().Save(saved);

        // A fresh instance has nothing in memory: what it loads came from the file.
        var loaded = NewSpool().Load(7);

        Assert.Equal(saved, loaded);
    }

    [Fact]
    public void Load_Unknown_ReturnsNull() => Assert.Null(NewSpool().Load(42));

    [Fact]
    public void Delete_Saved_GoneFromDiskAndFromTheSize()
    {
        var spool = NewSpool();
        spool.Save(NewSnapshot(1));
        spool.Save(NewSnapshot(2));

        spool.Delete(1);

        Assert.Null(spool.Load(1));
        Assert.NotNull(spool.Load(2));
        Assert.Single(SnapFiles());
        Assert.Equal(SnapshotSpool.AllocationUnit, spool.Bytes);
    }

    [Fact]
    public void Recover_LeftoversOfAPreviousRun_ReturnedInSequenceOrder()
    {
        var previous = NewSpool();
        foreach (var sequence in new ulong[] { 3, 10, 1, 2 })
        {
            previous.Save(NewSnapshot(sequence));
        }

        var recovered = NewSpool().Recover();

        Assert.Equal([1UL, 2UL, 3UL, 10UL], recovered.Select(s => s.Sequence));
    }

    [Fact]
    public void Recover_TemporaryAndDamagedFiles_DeletedAndCounted()
    {
        NewSpool().Save(NewSnapshot(1));
        NewSpool().Save(NewSnapshot(3));
        File.WriteAllBytes(Path.Combine(_directory, "00000000000000000002.snap"), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        File.WriteAllText(Path.Combine(_directory, "00000000000000000004.snap.tmp"), "half a snapshot");
        File.WriteAllText(Path.Combine(_directory, "agent-state.json.tmp"), "{");
        var logger = new CapturingLogger();
        var spool = NewSpool(logger: logger);

        var recovered = spool.Recover();

        Assert.Equal([1UL, 3UL], recovered.Select(s => s.Sequence));
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp"));
        Assert.Equal(2, SnapFiles().Length);
        Assert.Null(spool.Load(2));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(1, entry["Damaged"]);
        Assert.Equal(2, entry["Count"]);
        Assert.Equal(2 * SnapshotSpool.AllocationUnit, spool.Bytes);
    }

    [Fact]
    public void Recover_EmptyFileAndContentUnderAnotherName_DeletedAsDamaged()
    {
        NewSpool().Save(NewSnapshot(1));
        File.WriteAllBytes(Path.Combine(_directory, "00000000000000000005.snap"), []);
        File.WriteAllBytes(Path.Combine(_directory, "00000000000000000007.snap"), NewSnapshot(6).ToByteArray());
        var logger = new CapturingLogger();
        var spool = NewSpool(logger: logger);

        var recovered = spool.Recover();

        Assert.Equal([1UL], recovered.Select(s => s.Sequence));
        Assert.Single(SnapFiles());
        Assert.Equal(2, Assert.Single(logger.Entries)["Damaged"]);
    }

    [Fact]
    public void Recover_NothingLeft_ReturnsEmptyAndLogsNothing()
    {
        var logger = new CapturingLogger();

        Assert.Empty(NewSpool(logger: logger).Recover());
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Save_OverTheSizeBudget_DropsTheOldestFirstAndReturnsThem()
    {
        // Each small snapshot takes one allocation unit of disk, whatever its few hundred bytes.
        var unit = SnapshotSpool.AllocationUnit;
        var spool = NewSpool(maxBytes: 3 * unit);
        Assert.Empty(spool.Save(NewSnapshot(1)));
        Assert.Empty(spool.Save(NewSnapshot(2)));
        Assert.Empty(spool.Save(NewSnapshot(3)));

        Assert.Equal([1UL], spool.Save(NewSnapshot(4)));

        // A little over one unit takes two: room for it takes dropping two of the others.
        var big = NewSnapshot(5, new string('k', (int)unit));
        Assert.Equal(2 * unit, SnapshotSpool.OnDisk(big.CalculateSize()));
        Assert.Equal([2UL, 3UL], spool.Save(big));

        Assert.Equal(["00000000000000000004.snap", "00000000000000000005.snap"], SnapFiles());
        Assert.Equal(3, spool.Dropped);
        Assert.Equal(3 * unit, spool.Bytes);
    }

    [Fact]
    public async Task Bytes_ManyTinySnapshots_EqualsWhatTheDiskHolds()
    {
        var spool = NewSpool();
        for (ulong sequence = 1; sequence <= 300; sequence++)
        {
            spool.Save(NewSnapshot(sequence));
        }

        spool.Delete(7);
        spool.Delete(250);

        // What the file system allocated to the spool's files, from find's %b (512-byte blocks each file takes).
        var found = await CliWrap.Cli.Wrap("find")
            .WithArguments([_directory, "-name", "*.snap", "-printf", "%b\n"])
            .ExecuteBufferedAsync()
            .Task.WaitAsync(TimeSpan.FromSeconds(30));
        var onDisk = found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Sum(blocks => long.Parse(blocks, System.Globalization.CultureInfo.InvariantCulture) * 512);

        Assert.Equal(298, SnapFiles().Length);
        Assert.True(onDisk > 298L * NewSnapshot(1).CalculateSize(), $"the files take {onDisk} bytes of disk: more than their content");
        Assert.Equal(onDisk, spool.Bytes);
    }

    [Fact]
    public void Save_OneSnapshotBiggerThanTheBudget_KeepsTheOneJustSaved()
    {
        var spool = NewSpool(maxBytes: 1);

        Assert.Empty(spool.Save(NewSnapshot(1)));
        Assert.Equal([1UL], spool.Save(NewSnapshot(2)));

        Assert.NotNull(spool.Load(2));
        Assert.Equal(["00000000000000000002.snap"], SnapFiles());
    }

    [Fact]
    public void Save_AfterTheOldestAgedPastMaxAge_DropsThem()
    {
        var spool = NewSpool(maxAge: TimeSpan.FromHours(1));
        spool.Save(NewSnapshot(1));
        _time.Advance(TimeSpan.FromMinutes(20));
        spool.Save(NewSnapshot(2));
        _time.Advance(TimeSpan.FromMinutes(50));
        spool.Save(NewSnapshot(3));

        // Now 1 is 70 minutes old, 2 is 50: only 1 is past the hour.
        Assert.Equal(["00000000000000000002.snap", "00000000000000000003.snap"], SnapFiles());

        _time.Advance(TimeSpan.FromHours(2));
        var dropped = spool.Save(NewSnapshot(4));

        Assert.Equal([2UL, 3UL], dropped);
        Assert.Equal(["00000000000000000004.snap"], SnapFiles());
        Assert.Equal(3, spool.Dropped);
    }

    [Fact]
    public void Save_RecoveredSnapshotsPastMaxAge_DroppedOnTheNextSave()
    {
        NewSpool().Save(NewSnapshot(1, start: Start - TimeSpan.FromDays(2)));
        var spool = NewSpool(maxAge: TimeSpan.FromDays(1));
        spool.Recover();

        Assert.Equal([1UL], spool.Save(NewSnapshot(2)));
    }

    [Fact]
    public void NextAfterSpooled_EmptyThenSavedThenDeleted_OnePastTheHighestOnDisk()
    {
        var spool = NewSpool();
        Assert.Equal(1UL, spool.NextAfterSpooled());

        spool.Save(NewSnapshot(7));
        spool.Save(NewSnapshot(3));
        Assert.Equal(8UL, spool.NextAfterSpooled());
        Assert.Equal(8UL, NewSpool().NextAfterSpooled());

        spool.Delete(7);
        Assert.Equal(4UL, spool.NextAfterSpooled());
    }

    [Fact]
    public void NextAfterSpooled_ForeignFileNames_Ignored()
    {
        File.WriteAllText(Path.Combine(_directory, "notes.snap"), "x");
        File.WriteAllBytes(Path.Combine(_directory, "00000000000000000009.snap"), Encoding.UTF8.GetBytes("whatever"));

        Assert.Equal(10UL, NewSpool().NextAfterSpooled());
    }
}
