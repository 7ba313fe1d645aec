using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Parsing;

public class HeaderLineTests
{
    [Theory]
    [InlineData("  FAULTS VMFILE", "pagefaults", KeyLayout.Plain)]
    [InlineData("  FAULTS VNODE", "pagefaults", KeyLayout.Plain)]
    [InlineData("FAULTS VMFILE", "pagefaults", KeyLayout.Plain)]
    [InlineData("  FAULTS   LEN VMFILE", "pagefaults", KeyLayout.LengthPrefixed)]
    [InlineData("  FAULTS   LEN VNODE", "pagefaults", KeyLayout.LengthPrefixed)]
    [InlineData("  FAULTS DEV INODE", "pagefaults", KeyLayout.DevInode)]
    [InlineData("  ALLOCS    FREES SLAB", "kmem", KeyLayout.Plain)]
    [InlineData("  ALLOCS    FREES   LEN SLAB", "kmem", KeyLayout.LengthPrefixed)]
    [InlineData("  ALLOCS    FREES DEV INODE", "kmem", KeyLayout.DevInode)]
    public void TryParse_EachScriptsHeader_RecognisesFormat(string line, string probe, KeyLayout layout)
    {
        Assert.True(HeaderLine.TryParse(line, out var format));
        Assert.Equal(new TableFormat(ProbeCatalogue.Find(probe)!, layout), format);
    }

    [Fact]
    public void TryParse_EveryTableFormat_HasAHeader()
    {
        string[] headers =
        [
            "  FAULTS VMFILE", "  FAULTS   LEN VMFILE", "  FAULTS DEV INODE",
            "  ALLOCS    FREES SLAB", "  ALLOCS    FREES   LEN SLAB", "  ALLOCS    FREES DEV INODE",
        ];
        var recognised = headers.Select(h => HeaderLine.TryParse(h, out var f) ? f : (TableFormat?)null).ToHashSet();

        Assert.Equal(TableFormats.All.Cast<TableFormat?>().ToHashSet(), recognised);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  FAULTS")]
    [InlineData("  FAULTS VMFILES")]
    [InlineData("  FAULTS VMFILE EXTRA")]
    [InlineData("  faults vmfile")]
    [InlineData("  FAULTS\tVMFILE")]
    [InlineData("  FAULTS LEN")]
    [InlineData("  FAULTS DEV")]
    [InlineData("  FAULTS INODE DEV")]
    [InlineData("  FAULTS   LEN SLAB")]
    [InlineData("  ALLOCS FREES")]
    [InlineData("  FREES    ALLOCS SLAB")]
    [InlineData("  ALLOCS    FREES VMFILE")]
    [InlineData("  ALLOCS    FREES   LEN VMFILE")]
    [InlineData("  ALLOCS    FREES SLAB SLAB")]
    [InlineData("       5 FAULTS VMFILE")]
    [InlineData("@faults[1, 2]: 3")]
    [InlineData("Attaching 7 probes...")]
    public void TryParse_NearMiss_ReturnsFalse(string line)
    {
        Assert.False(HeaderLine.TryParse(line, out _));
    }

    [Fact]
    public void TryParse_TwoProbesPrintingOneHeader_EachTracersReaderTakesItsOwn()
    {
        ValueColumn hits = new("hits", "hits", "Hits");
        var first = ProbeCatalogue.Register(new ProbeDefinition("samehdr_a", "hits by thing", new("thing", "thinga"), [hits]), out _)!;
        var second = ProbeCatalogue.Register(new ProbeDefinition("samehdr_b", "hits by thing, costly", new("thing", "thingb"), [hits]), out _)!;
        HeaderLine.Register(first, "THING");
        HeaderLine.Register(second, "THING");

        Assert.True(HeaderLine.TryParse("    HITS THING", [second], out var format));
        Assert.Equal(new TableFormat(second, KeyLayout.Plain), format);
        Assert.True(HeaderLine.TryParse("    HITS THING", [first], out format));
        Assert.Equal(new TableFormat(first, KeyLayout.Plain), format);
        Assert.False(HeaderLine.TryParse("    HITS THING", [ProbeCatalogue.Kmem], out _));
    }
}
