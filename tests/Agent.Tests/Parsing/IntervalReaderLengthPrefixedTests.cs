using Tracefleet.Agent.Tests.Support;
namespace Tracefleet.Agent.Tests.Parsing;

/// <summary>Keys of the project's own stap/dtrace scripts: length-prefixed, possibly spanning lines.</summary>
public class IntervalReaderLengthPrefixedTests
{
    private const string PageFaultsHeader = "  FAULTS   LEN VMFILE";
    private const string KmemHeader = "  ALLOCS    FREES   LEN SLAB";

    // The key's lines as the script prints them, and the one key they must make (its newlines escaped by the key rule).
    public static TheoryData<string[], string> SpanningKeys => new()
    {
        { ["       1    20 x", "       5     3 ???"], "x\\x0a       5     3 ???" },
        { ["       1    23 y", "  FAULTS   LEN VMFILE"], "y\\x0a  FAULTS   LEN VMFILE" },
        { ["       1    24 z", "  ALLOCS    FREES SLAB"], "z\\x0a  ALLOCS    FREES SLAB" },
        { ["       1    23 p", "Attaching 3 probes..."], "p\\x0aAttaching 3 probes..." },
        { ["       1     4 a", "", "b"], "a\\x0a\\x0ab" },
        { ["       1     4 ", "abc"], "\\x0aabc" },
        { ["       1     2 a", ""], "a\\x0a" },
        { ["       1     5 a", "b", "c"], "a\\x0ab\\x0ac" },
        { ["       1     8 \u00c3\u00bc", "\u00c3\u00af.so"], "\u00fc\\x0a\u00ef.so" },
    };

    [Theory]
    [MemberData(nameof(SpanningKeys))]
    public void ReadLine_KeySpanningLines_OneRowWithTheWholeKey(string[] keyLines, string expectedKey)
    {
        var intervals = IntervalReading.ReadAll([PageFaultsHeader, .. keyLines, "       9     3 ???"]);

        var interval = Assert.Single(intervals);
        Assert.Equal(
            new[] { new ParsedRow("???", [9]), new ParsedRow(expectedKey, [1]) }.OrderBy(r => r.Key, StringComparer.Ordinal),
            IntervalReading.Sorted(interval));
        Assert.Equal(0, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_FileNamedLikeAForgedKmemRow_YieldsOneRow()
    {
        const string Forged = "       9        9    13 kmem_alloc_48";
        var intervals = IntervalReading.ReadAll(
            KmemHeader,
            "       0        5    13 kmem_alloc_48",
            $"       3        1    {4 + 1 + Forged.Length} evil",
            Forged);

        var interval = Assert.Single(intervals);
        Assert.Equal(TableFormats.KmemLengthPrefixed, interval.Format);
        Assert.Equal(
            [new ParsedRow("evil\\x0a" + Forged, [3, 1]), new ParsedRow("kmem_alloc_48", [0, 5])],
            IntervalReading.Sorted(interval));
    }

    [Fact]
    public void ReadLine_OneLineKeys_ParsedWithSpacesKept()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(
            PageFaultsHeader, "    4297     9 libc.so.6", "       7     4  foo", "       2     6 trail ", "       6     9 two words"));

        Assert.Equal(
            [new ParsedRow(" foo", [7]), new ParsedRow("libc.so.6", [4297]), new ParsedRow("trail ", [2]), new ParsedRow("two words", [6])],
            IntervalReading.Sorted(interval));
    }

    [Fact]
    public void InsideKey_WhileAKeySpansLines_TrueUntilItIsComplete()
    {
        var reader = new IntervalReader();
        reader.ReadLine(PageFaultsHeader);
        Assert.False(reader.InsideKey);

        reader.ReadLine("       1     5 ab");
        Assert.True(reader.InsideKey);

        reader.ReadLine("cd");
        Assert.False(reader.InsideKey);
    }

    [Fact]
    public void ReadLine_KeyLongerThanDeclaredOnItsFirstLine_Malformed()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "       1     2 abc", "       4     3 ???"));

        Assert.Equal([new ParsedRow("???", [4])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public void ReadLine_KeyLongerThanDeclaredAfterContinuation_MalformedAndNextRowKept()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "       1     3 a", "bcd", "       4     3 ???"));

        Assert.Equal([new ParsedRow("???", [4])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
    }

    [Fact]
    public void Complete_StreamEndsInsideKey_RowDroppedAndCounted()
    {
        var reader = new IntervalReader();
        reader.ReadLine(KmemHeader);
        reader.ReadLine("       0        5    13 kmem_alloc_48");
        reader.ReadLine("       1        1    10 cut");
        reader.ReadLine("off");

        var interval = reader.Complete();

        Assert.NotNull(interval);
        Assert.Equal([new ParsedRow("kmem_alloc_48", [0, 5])], interval.Rows);
        Assert.Equal(1, interval.MalformedLines);
        Assert.False(reader.InsideKey);
    }

    [Fact]
    public void Complete_AfterDroppingCutKey_NextHeaderStartsCleanTable()
    {
        var reader = new IntervalReader();
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       1    10 cut");
        reader.Complete();

        // Had the cut key survived, this header would be swallowed as its continuation.
        reader.ReadLine(PageFaultsHeader);
        reader.ReadLine("       2     1 a");
        var next = reader.Complete();

        Assert.NotNull(next);
        Assert.Equal([new ParsedRow("a", [2])], next.Rows);
        Assert.Equal(0, next.MalformedLines);
    }

    [Fact]
    public void ReadLine_InvalidUtf8Bytes_KeyShowsEscapes()
    {
        var interval = Assert.Single(IntervalReading.ReadAll(PageFaultsHeader, "       2     8 bad\u00ffname"));

        Assert.Equal([new ParsedRow("bad\\xffname", [2])], interval.Rows);
    }
}
