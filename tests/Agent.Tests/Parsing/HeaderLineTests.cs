namespace Tracefleet.Agent.Tests.Parsing;

public class HeaderLineTests
{
    [Theory]
    [InlineData("  FAULTS VMFILE", TableFormat.PageFaults)]
    [InlineData("  FAULTS VNODE", TableFormat.PageFaults)]
    [InlineData("FAULTS VMFILE", TableFormat.PageFaults)]
    [InlineData("  FAULTS   LEN VMFILE", TableFormat.PageFaultsLengthPrefixed)]
    [InlineData("  FAULTS   LEN VNODE", TableFormat.PageFaultsLengthPrefixed)]
    [InlineData("  FAULTS DEV INODE", TableFormat.PageFaultsDevInode)]
    [InlineData("  ALLOCS    FREES SLAB", TableFormat.Kmem)]
    [InlineData("  ALLOCS    FREES   LEN SLAB", TableFormat.KmemLengthPrefixed)]
    public void TryParse_EachScriptsHeader_RecognisesFormat(string line, TableFormat expected)
    {
        Assert.True(HeaderLine.TryParse(line, out var format));
        Assert.Equal(expected, format);
    }

    [Fact]
    public void TryParse_EveryTableFormat_HasAHeader()
    {
        string[] headers =
        [
            "  FAULTS VMFILE", "  FAULTS   LEN VMFILE", "  FAULTS DEV INODE", "  ALLOCS    FREES SLAB", "  ALLOCS    FREES   LEN SLAB",
        ];
        var recognised = headers.Select(h => HeaderLine.TryParse(h, out var f) ? f : (TableFormat?)null).ToHashSet();

        Assert.Equal(Enum.GetValues<TableFormat>().Cast<TableFormat?>().ToHashSet(), recognised);
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
}
