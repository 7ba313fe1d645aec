using Tracefleet.Agent.Tests.Support;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Tests.Parsing;

/// <summary>
/// Captures found in bug reports, byte for byte, read as <c>--replay</c> reads them: CR-LF framing from a terminal,
/// a last line cut off mid-write, NUL padding, control characters and over-long names in keys.
/// </summary>
public class CaptureFramingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static async Task<ParsedInterval> ReadSingleAsync(string capture) =>
        Assert.Single(await CaptureBytes.ReadAsync(capture).WaitAsync(Timeout));

    [Fact]
    public async Task ReadAsync_TableTakenThroughATerminal_OneCrPerLineIsFraming()
    {
        var interval = await ReadSingleAsync("  FAULTS VNODE\r\n       1 ???\r\n");

        Assert.Equal([new ParsedRow("???", [1])], interval.Rows);
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_KmemTableThroughATerminal_RowsAndMapLinesWithoutCr()
    {
        var interval = await ReadSingleAsync("Attaching 4 probes...\r\n  ALLOCS    FREES SLAB\r\n       3        4 dentry\r\n@allocs[filp]: 5\r\n\r\n@frees[filp]: 2\r\n");

        Assert.Equal([new ParsedRow("dentry", [3, 4]), new ParsedRow("filp", [5, 2])], IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_DevInodeTableThroughATerminal_MapLinesAndRestRead()
    {
        var interval = await ReadSingleAsync("  FAULTS DEV INODE\r\n@faults[1048577, 2]: 1\r\n       5 ???\r\n");

        Assert.Equal([new ParsedRow(DevInodeKey.Format(1048577, 2), [1]), new ParsedRow("???", [5])], IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_LengthPrefixedKeySpanningLinesThroughATerminal_OneKeyWithItsNewline()
    {
        // The key "a\nb" printed through onlcr: every '\n', the key's own included, became "\r\n".
        var interval = await ReadSingleAsync("  FAULTS   LEN VMFILE\r\n       2     3 a\r\nb\r\n       9     3 ???\r\n");

        Assert.Equal([new ParsedRow("???", [9]), new ParsedRow("a\\x0ab", [2])], IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_LengthPrefixedKmemThroughATerminal_KeyEndingInCrKeepsIt()
    {
        var interval = await ReadSingleAsync("  ALLOCS    FREES   LEN SLAB\r\n       1        2     4 abc\r\r\n       3        4     6 dentry\r\n");

        Assert.Equal([new ParsedRow("abc\\x0d", [1, 2]), new ParsedRow("dentry", [3, 4])], IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_LengthPrefixedRowsEndingInCrWithoutCrHeader_LengthDecides()
    {
        // One CR after a key of its full length is framing; a CR within the length is the key's.
        var interval = await ReadSingleAsync("  FAULTS   LEN VMFILE\n       1     3 abc\r\n       2     4 abc\r\n       7     7 crlf\r\nz\r\n");

        Assert.Equal(
            [new ParsedRow("abc", [1]), new ParsedRow("abc\\x0d", [2]), new ParsedRow("crlf\\x0d\\x0az", [7])],
            IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_CrAtRowEndWithoutCrHeader_PartOfTheName()
    {
        // Nothing says this table went through a terminal: a file name may end in CR.
        var interval = await ReadSingleAsync("  FAULTS VMFILE\n       1 name\r\n");

        Assert.Equal([new ParsedRow("name\\x0d", [1])], interval.Rows);
    }

    [Fact]
    public async Task ReadAsync_BpftraceKilledMidWrite_CutLineNotStoredButCounted()
    {
        // The real line was "@frees[x]: 1024".
        var interval = await ReadSingleAsync("  ALLOCS    FREES SLAB\n@frees[x]: 10");

        Assert.Empty(interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Theory]
    [InlineData("  ALLOCS    FREES SLAB\n@allocs[dentry]: 7\n@allocs[x]: 10", "dentry", 7UL, 0UL)]
    [InlineData("  ALLOCS    FREES SLAB\n       7        1 dentry\n       1        1 filp", "dentry", 7UL, 1UL)]
    [InlineData("  FAULTS VMFILE\n       7 libc.so.6\n    1187 libstdc++.so", "libc.so.6", 7UL)]
    [InlineData("  FAULTS VNODE\r\n       7 libc.so.6\r\n    1187 libstdc++.so\r", "libc.so.6", 7UL)]
    [InlineData("  FAULTS DEV INODE\n       7 ???\n@faults[1048577, 2]: 1", "???", 7UL)]
    public async Task ReadAsync_LastLineWithoutNewline_OnlyTheCompleteRowsStored(string capture, string key, params ulong[] values)
    {
        var interval = await ReadSingleAsync(capture);

        Assert.Equal([new ParsedRow(key, [.. values])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_ExerciseFormatCutMidWrite_CutLineNotStoredButCounted()
    {
        var interval = await ReadSingleAsync("  FAULTS VMFILE\n    1187 libstdc++.so");

        Assert.Empty(interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Theory]
    [InlineData("  FAULTS   LEN VMFILE\n    1187    12 libstdc++.so", "libstdc++.so", 1187UL)]
    [InlineData("  FAULTS   LEN VMFILE\n    1187    12 libstdc++.so\r", "libstdc++.so", 1187UL)]
    [InlineData("  FAULTS   LEN VMFILE\n       4     3 a\nb", "a\\x0ab", 4UL)]
    [InlineData("  ALLOCS    FREES   LEN SLAB\n       5        6     6 dentry", "dentry", 5UL, 6UL)]
    public async Task ReadAsync_LengthPrefixedLastLineWithoutNewline_KeyCompleteToItsLengthStored(string capture, string key, params ulong[] values)
    {
        var interval = await ReadSingleAsync(capture);

        Assert.Equal([new ParsedRow(key, [.. values])], interval.Rows);
        Assert.Equal(0, interval.MalformedLines);
    }

    [Theory]
    [InlineData("  FAULTS   LEN VMFILE\n    1187    12 libstdc")]
    [InlineData("  FAULTS   LEN VMFILE\n       4     5 a\nb")]
    [InlineData("  ALLOCS    FREES   LEN SLAB\n       5        6     6 den")]
    public async Task ReadAsync_LengthPrefixedKeyCutShort_NotStoredButCounted(string capture)
    {
        var interval = await ReadSingleAsync(capture);

        Assert.Empty(interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_NulPaddingAfterACrash_LineMalformedNothingAfterItLost()
    {
        var intervals = await CaptureBytes.ReadAsync("  ALLOCS    FREES SLAB\n       1        1 a\0\n  ALLOCS    FREES SLAB\n       2        2 b\n").WaitAsync(Timeout);

        Assert.Equal(2, intervals.Count);
        Assert.Empty(intervals[0].Rows);
        Assert.Equal(1, intervals[0].MalformedLines);
        Assert.Equal([new ParsedRow("b", [2, 2])], intervals[1].Rows);
        Assert.Equal(0, intervals[1].MalformedLines);
    }

    [Theory]
    [InlineData("  FAULTS VMFILE\n       1 \0\0\0\0\n       9 ???\n")]
    [InlineData("  ALLOCS    FREES SLAB\n@allocs[a\0b]: 1\n       9        0 ???\n")]
    [InlineData("  FAULTS   LEN VMFILE\n       1     2 a\0\n       9     3 ???\n")]
    [InlineData("  FAULTS   LEN VMFILE\n       1     4 a\n\0b\n       9     3 ???\n")]
    [InlineData("  ALLOCS    FREES   LEN SLAB\n       1        1     1 \0\n       9        0     3 ???\n")]
    public async Task ReadAsync_KeyHoldingNul_LineMalformedNextRowKept(string capture)
    {
        var interval = await ReadSingleAsync(capture);

        Assert.Equal([new ParsedRow("???", [9])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public async Task ReadAsync_EscapeSequenceInKey_ShownEscaped()
    {
        var interval = await ReadSingleAsync("  FAULTS VMFILE\n       3 \u001b[31mred\u001b[0m.so\n");

        Assert.Equal([new ParsedRow("\\x1b[31mred\\x1b[0m.so", [3])], interval.Rows);
    }

    [Fact]
    public async Task ReadAsync_KeysEqualAfterTheRule_SummedIntoOneRow()
    {
        // A raw ESC and a name that spells its escape are one key after the rule: one row, never two.
        var interval = await ReadSingleAsync("  FAULTS VMFILE\n       1 a\u001b\n       2 a\\x1b\n18446744073709551615 a\u001b\n");

        Assert.Equal([new ParsedRow("a\\x1b", [ulong.MaxValue])], interval.Rows);
    }

    [Fact]
    public async Task ReadAsync_FiveThousandByteLatin1Key_CutWithMarkerCountKept()
    {
        // 0xE9 alone is no UTF-8: each byte becomes a four-character escape, and 5000 of them are cut to fit.
        var interval = await ReadSingleAsync($"  FAULTS VMFILE\n      42 {new string('\u00e9', 5000)}\n");

        var row = Assert.Single(interval.Rows);
        Assert.Equal(string.Concat(Enumerable.Repeat("\\xe9", 1023)) + KeyRule.CutMarker, row.Key);
        Assert.Equal(42UL, row.Values[0]);
        Assert.True(KeyRule.IsValid(row.Key, KeyRule.MaxLength));
    }

    [Fact]
    public async Task ReadAsync_LongLengthPrefixedKeyWithNewlines_CutWithMarker()
    {
        // 4096 bytes, the longest a length-prefixed key may declare, each newline growing to four characters.
        var key = string.Concat(Enumerable.Repeat("ab\n", 1365)) + "z";
        var interval = await ReadSingleAsync($"  FAULTS   LEN VMFILE\n       6  4096 {key}\n       9     3 ???\n");

        Assert.Equal(2, interval.Rows.Count);
        var row = Assert.Single(interval.Rows, r => r.Key != "???");
        Assert.StartsWith("ab\\x0aab\\x0a", row.Key, StringComparison.Ordinal);
        Assert.EndsWith(KeyRule.CutMarker, row.Key, StringComparison.Ordinal);
        Assert.InRange(row.Key.Length, KeyRule.MaxLength - 6, KeyRule.MaxLength);
        Assert.Equal(6UL, row.Values[0]);
        Assert.Equal(0, interval.MalformedLines);
    }
}
