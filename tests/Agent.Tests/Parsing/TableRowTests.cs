namespace Tracefleet.Agent.Tests.Parsing;

public class TableRowTests
{
    [Theory]
    [InlineData("       1 tar", "tar", 1UL)]
    [InlineData("    4297 libc.so.6", "libc.so.6", 4297UL)]
    [InlineData("       0 ???", "???", 0UL)]
    [InlineData("    7128 [ anon ]", "[ anon ]", 7128UL)]
    [InlineData("       5 my file.so", "my file.so", 5UL)]
    [InlineData("       5  leading", " leading", 5UL)]
    [InlineData("       5    ", "   ", 5UL)]
    [InlineData("       3 a\tb", "a\tb", 3UL)]
    [InlineData("       7 \u00ff\u00fe\u0001", "\u00ff\u00fe\u0001", 7UL)]
    [InlineData("       9        8 looks like kmem", "       8 looks like kmem", 9UL)]
    [InlineData("123456789 nine-digits", "nine-digits", 123456789UL)]
    [InlineData("123456789012 past-2^32", "past-2^32", 123456789012UL)]
    [InlineData("18446744073709551615 max", "max", ulong.MaxValue)]
    public void TryParse_OneColumnValidRow_ReturnsKeyAndCount(string line, string expectedKey, ulong expectedFaults)
    {
        Assert.True(TableRow.TryParse(line, 1, out var key, out var values));
        Assert.Equal(expectedKey, key);
        Assert.Equal([expectedFaults], values);
    }

    [Theory]
    [InlineData("")]
    [InlineData("       5")]
    [InlineData("       5 ")]
    [InlineData("        ")]
    [InlineData("       5\tfoo")]
    [InlineData("\t5 foo")]
    [InlineData("5x foo")]
    [InlineData("-5 foo")]
    [InlineData("+5 foo")]
    [InlineData("foo")]
    [InlineData("  FAULTS VMFILE")]
    [InlineData("@faults[266338304, 332096]: 12")]
    [InlineData("18446744073709551616 one-past-max")]
    [InlineData("99999999999999999999999 overflow")]
    public void TryParse_OneColumnMalformedRow_ReturnsFalse(string line)
    {
        Assert.False(TableRow.TryParse(line, 1, out _, out _));
    }

    [Theory]
    [InlineData("       1        2 dentry", "dentry", 1UL, 2UL)]
    [InlineData("       0        5 kmem_alloc_48", "kmem_alloc_48", 0UL, 5UL)]
    [InlineData("       1        2  leading", " leading", 1UL, 2UL)]
    [InlineData("       1        2 two words", "two words", 1UL, 2UL)]
    [InlineData("       1        2 tab\there", "tab\there", 1UL, 2UL)]
    [InlineData("       1        2 \u00ff", "\u00ff", 1UL, 2UL)]
    [InlineData("       1        2 3", "3", 1UL, 2UL)]
    [InlineData("123456789012 123456789013 big", "big", 123456789012UL, 123456789013UL)]
    [InlineData("18446744073709551615 18446744073709551615 max", "max", ulong.MaxValue, ulong.MaxValue)]
    public void TryParse_TwoColumnsValidRow_ReturnsKeyAndCounts(string line, string expectedKey, ulong expectedAllocs, ulong expectedFrees)
    {
        Assert.True(TableRow.TryParse(line, 2, out var key, out var values));
        Assert.Equal(expectedKey, key);
        Assert.Equal([expectedAllocs, expectedFrees], values);
    }

    [Theory]
    [InlineData("")]
    [InlineData("       5")]
    [InlineData("      1        2")]
    [InlineData("      1        2 ")]
    [InlineData("       1 dentry")]
    [InlineData("       1\t       2 dentry")]
    [InlineData("       1        2\tdentry")]
    [InlineData("       1        x dentry")]
    [InlineData("  ALLOCS    FREES SLAB")]
    [InlineData("@allocs[dentry]: 5")]
    [InlineData("18446744073709551616        1 overflow-first")]
    [InlineData("       1 18446744073709551616 overflow-second")]
    public void TryParse_TwoColumnsMalformedRow_ReturnsFalse(string line)
    {
        Assert.False(TableRow.TryParse(line, 2, out _, out _));
    }
}
