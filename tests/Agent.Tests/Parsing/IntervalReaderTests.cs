using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Parsing;

public class IntervalReaderTests
{
    private const string PageFaultsHeader = "  FAULTS VMFILE";
    private const string KmemHeader = "  ALLOCS    FREES SLAB";

    [Fact]
    public void ReadLine_HeaderThenHeader_EmitsIdleIntervalWithNoRows()
    {
        var intervals = IntervalReading.ReadAll(PageFaultsHeader, PageFaultsHeader, "       5 libc.so.6");

        Assert.Equal(2, intervals.Count);
        Assert.Empty(intervals[0].Rows);
        Assert.Equal(TableFormats.PageFaults, intervals[0].Format);
        Assert.Equal([new ParsedRow("libc.so.6", [5])], intervals[1].Rows);
    }

    [Fact]
    public void ReadLine_NextHeader_ReturnsTheIntervalItClosed()
    {
        var reader = new IntervalReader();
        Assert.Null(reader.ReadLine(KmemHeader));
        Assert.Null(reader.ReadLine("       1        2 dentry"));

        var closed = reader.ReadLine(KmemHeader);

        Assert.NotNull(closed);
        Assert.Equal(TableFormats.Kmem, closed.Format);
        Assert.Equal([new ParsedRow("dentry", [1, 2])], closed.Rows);
    }

    [Fact]
    public void ReadLine_MalformedLinesAmongRows_CountedAndGoodRowsKept()
    {
        var intervals = IntervalReading.ReadAll(
            PageFaultsHeader, "       5 a", "garbage", "       7", "       6 b",
            PageFaultsHeader, "       1 c");

        Assert.Equal(2, intervals.Count);
        Assert.Equal([new ParsedRow("a", [5]), new ParsedRow("b", [6])], IntervalReading.Sorted(intervals[0]));
        Assert.Equal(2, intervals[0].MalformedLines);
        Assert.Equal(0, intervals[1].MalformedLines);
    }

    [Fact]
    public void TotalMalformedLines_OverSeveralIntervals_Accumulates()
    {
        var reader = new IntervalReader();
        foreach (var line in new[] { PageFaultsHeader, "x", PageFaultsHeader, "y", "z", "       1 ok" })
        {
            reader.ReadLine(line);
        }

        Assert.Equal(3, reader.TotalMalformedLines);
    }

    [Fact]
    public void Complete_AtEndOfInput_EmitsLastInterval()
    {
        var reader = new IntervalReader();
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       5 a");

        var last = reader.Complete();

        Assert.NotNull(last);
        Assert.Equal([new ParsedRow("a", [5])], last.Rows);
    }

    [Fact]
    public void Complete_RightAfterComplete_ReturnsNull()
    {
        var reader = new IntervalReader();
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       5 a");

        Assert.NotNull(reader.Complete());
        Assert.Null(reader.Complete());
    }

    [Fact]
    public void Complete_HeaderAlone_EmitsOneEmptyIntervalThenNull()
    {
        var reader = new IntervalReader();
        reader.ReadLine(KmemHeader);

        var idle = reader.Complete();

        Assert.NotNull(idle);
        Assert.Empty(idle.Rows);
        Assert.Null(reader.Complete());
    }

    [Fact]
    public void Complete_BeforeAnyHeader_ReturnsNull()
    {
        var reader = new IntervalReader();
        reader.ReadLine("Attaching 4 probes...");

        Assert.Null(reader.Complete());
    }

    [Fact]
    public void Complete_QuietKmemTracerThenRowsWithoutHeader_KeepsParsingAsKmem()
    {
        var reader = new IntervalReader();
        reader.ReadLine(KmemHeader);
        reader.ReadLine("       1        2 dentry");
        var first = reader.Complete();

        // Read as pagefaults, this line would be the key "       4 filp"; as kmem it is filp 3/4.
        reader.ReadLine("       3        4 filp");
        var second = reader.Complete();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(TableFormats.Kmem, second.Format);
        Assert.Equal([new ParsedRow("filp", [3, 4])], second.Rows);
        Assert.Equal(0, second.MalformedLines);
    }

    [Fact]
    public void Complete_RowsAfterAQuietSpellWithoutHeader_MarkedAsTheRestOfTheTableUntilTheNextHeader()
    {
        var reader = new IntervalReader();
        reader.ReadLine(KmemHeader);
        reader.ReadLine("       1        2 dentry");
        var first = reader.Complete();
        reader.ReadLine("       3        4 filp");
        var rest = reader.ReadLine(KmemHeader);
        reader.ReadLine("       5        6 dentry");
        var next = reader.Complete();

        Assert.False(first!.Continuation);
        Assert.True(rest!.Continuation);
        Assert.False(next!.Continuation);
    }

    [Fact]
    public void Complete_QuietPageFaultTracerThenRowsWithoutHeader_KeepsParsingAsPageFaults()
    {
        var reader = new IntervalReader();
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       5 a");
        reader.Complete();

        reader.ReadLine("       3 b");
        var second = reader.Complete();

        Assert.NotNull(second);
        Assert.Equal(TableFormats.PageFaults, second.Format);
        Assert.Equal([new ParsedRow("b", [3])], second.Rows);
    }

    [Fact]
    public void ReadLine_KeyRepeatedInOnePageFaultTable_SummedIntoOneRow()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "       2 libc.so.6", "       1 ld.so", "       3 libc.so.6"));

        Assert.Equal([new ParsedRow("ld.so", [1]), new ParsedRow("libc.so.6", [5])], IntervalReading.Sorted(interval));
    }

    [Fact]
    public void ReadLine_KeyRepeatedInOneKmemTable_SummedIntoOneRow()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(KmemHeader, "       1        2 dentry", "       3        4 dentry"));

        Assert.Equal([new ParsedRow("dentry", [4, 6])], interval.Rows);
    }

    [Fact]
    public void ReadLine_RepeatedKeyNearMaximum_Saturates()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "18446744073709551610 a", "      10 a"));

        Assert.Equal([new ParsedRow("a", [ulong.MaxValue])], interval.Rows);
    }

    [Fact]
    public void ReadLine_BpftraceAllocsAndFreesMaps_MergedIntoOneRowPerCache()
    {
        var intervals = IntervalReading.ReadAll(
            "Attaching 4 probes...",
            KmemHeader,
            "@allocs[dentry]: 5",
            "@allocs[filp]: 7",
            "",
            "@frees[vmap_area]: 1",
            "@frees[dentry]: 4",
            "");

        var interval = Assert.Single(intervals);
        Assert.Equal(
            [new ParsedRow("dentry", [5, 4]), new ParsedRow("filp", [7, 0]), new ParsedRow("vmap_area", [0, 1])],
            IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_BpftraceMapUnderPageFaultsHeader_OneRowPerFile()
    {
        // Any plain table takes map lines named as its columns: an operator's pfstat in bpftrace needs no layout of its own.
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "@faults[libc.so.6]: 5", "@faults[ld.so]: 2", "@allocs[ld.so]: 9"));

        Assert.Equal([new ParsedRow("ld.so", [2]), new ParsedRow("libc.so.6", [5])], IntervalReading.Sorted(interval));
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_KmemDevInodeTable_EachColumnsMapByDeviceAndInode()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(
            "  ALLOCS    FREES DEV INODE", "@allocs[1048577, 2]: 4", "@frees[1048577, 2]: 3", "       1        1 ???"));

        Assert.Equal(new TableFormat(ProbeCatalogue.Kmem, KeyLayout.DevInode), interval.Format);
        Assert.Equal([new ParsedRow(DevInodeKey.Format(1048577, 2), [4, 3]), new ParsedRow("???", [1, 1])], IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_BpftraceUnknownMap_CountedAsMalformed()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(KmemHeader, "@allocs[dentry]: 5", "@other[dentry]: 9"));

        Assert.Equal([new ParsedRow("dentry", [5, 0])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_DevInodeTable_KeysEncodedAndUnnamedRestKept()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(
            "Attaching 7 probes...",
            "  FAULTS DEV INODE",
            "@faults[266338304, 332096]: 12",
            "@faults[266338304, 18705]: 9",
            "@faults[not, numbers]: 3",
            "@frees[266338304, 1]: 1",
            "   15326 ???"));

        Assert.Equal(TableFormats.PageFaultsDevInode, interval.Format);
        Assert.Equal(
            [
                new ParsedRow(DevInodeKey.Format(266338304, 18705), [9]),
                new ParsedRow(DevInodeKey.Format(266338304, 332096), [12]),
                new ParsedRow("???", [15326]),
            ],
            IntervalReading.Sorted(interval));
        Assert.Equal(2, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_AttachingPreamble_IgnoredNotMalformed()
    {
        var reader = new IntervalReader();
        reader.ReadLine("Attaching 7 probes...");
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       5 a");

        var interval = reader.Complete();

        Assert.NotNull(interval);
        Assert.Equal(0, interval.MalformedLines);
        Assert.Equal(0, reader.TotalMalformedLines);
    }

    [Fact]
    public void ReadLine_GarbageBeforeFirstHeader_CountedAsMalformed()
    {
        var reader = new IntervalReader();
        reader.ReadLine("semantic error: not a table");
        reader.ReadLine(PageFaultsHeader);

        Assert.Equal(1, reader.TotalMalformedLines);
    }

    [Fact]
    public void ReadLine_BlankLines_Ignored()
    {
        var intervals = IntervalReading.ReadAll("", PageFaultsHeader, "", "       5 a", "", "", PageFaultsHeader, "", "");

        Assert.Equal(2, intervals.Count);
        Assert.Equal([new ParsedRow("a", [5])], intervals[0].Rows);
        Assert.Empty(intervals[1].Rows);
        Assert.All(intervals, i => Assert.Equal(0, i.MalformedLines));
    }
}
