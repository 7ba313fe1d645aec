namespace Tracefleet.Agent.Tests.Parsing;

public class LengthPrefixedRowTests
{
    [Theory]
    [InlineData("    4297     9 libc.so.6", 4297UL, 9, "libc.so.6")]
    [InlineData("   21203     3 ???", 21203UL, 3, "???")]
    [InlineData("       7     4  foo", 7UL, 4, " foo")]
    [InlineData("       7     5 foo  ", 7UL, 5, "foo  ")]
    [InlineData("       6     9 two words", 6UL, 9, "two words")]
    [InlineData("      12    20 x", 12UL, 20, "x")]
    [InlineData("       1     4 ", 1UL, 4, "")]
    [InlineData("       2     2 \u00c3\u00bc", 2UL, 2, "\u00c3\u00bc")]
    [InlineData("       3     3 a\tb", 3UL, 3, "a\tb")]
    [InlineData("12345678901     3 ???", 12345678901UL, 3, "???")]
    [InlineData("       7     3 abc\r", 7UL, 3, "abc")]
    [InlineData("       7     4 abc\r", 7UL, 4, "abc\r")]
    [InlineData("       7     5 abc\r", 7UL, 5, "abc\r")]
    public void TryParse_OneColumnRow_ReturnsCountLengthAndKeyStart(string line, ulong expectedFaults, int expectedLength, string expectedStart)
    {
        Assert.True(LengthPrefixedRow.TryParse(line, 1, out var values, out var length, out var start));
        Assert.Equal([expectedFaults], values);
        Assert.Equal(expectedLength, length);
        Assert.Equal(expectedStart, start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("       5")]
    [InlineData("       5     3")]
    [InlineData("       5 libc.so.6")]
    [InlineData("       5     0 ")]
    [InlineData("       5     2 abc")]
    [InlineData("       5     2 abc\r")]
    [InlineData("       5     2 ab\r\r")]
    [InlineData("       5\t    3 abc")]
    [InlineData("       5     3\tabc")]
    [InlineData("       5  4097 x")]
    [InlineData("       5 18446744073709551616 x")]
    [InlineData("18446744073709551616     1 x")]
    [InlineData("  FAULTS   LEN VMFILE")]
    public void TryParse_OneColumnMalformedRow_ReturnsFalse(string line)
    {
        Assert.False(LengthPrefixedRow.TryParse(line, 1, out _, out _, out _));
    }

    [Fact]
    public void TryParse_OneColumnKeyOfMaxKeyBytes_Accepted()
    {
        var key = new string('k', LengthPrefixedRow.MaxKeyBytes);

        Assert.True(LengthPrefixedRow.TryParse($"       1  4096 {key}", 1, out _, out var length, out var start));
        Assert.Equal(4096, length);
        Assert.Equal(key, start);
    }

    [Theory]
    [InlineData("       0        5    13 kmem_alloc_48", 0UL, 5UL, 13, "kmem_alloc_48")]
    [InlineData("    2811     2606    15 streams_dblk_80", 2811UL, 2606UL, 15, "streams_dblk_80")]
    [InlineData("       7        2     5  lead", 7UL, 2UL, 5, " lead")]
    [InlineData("       3        1    42 evil", 3UL, 1UL, 42, "evil")]
    [InlineData("       1        1     3 \u00ff\u00fe\u0000", 1UL, 1UL, 3, "\u00ff\u00fe\u0000")]
    [InlineData("123456789012 123456789013     3 big", 123456789012UL, 123456789013UL, 3, "big")]
    public void TryParse_TwoColumnsRow_ReturnsCountsLengthAndKeyStart(string line, ulong expectedAllocs, ulong expectedFrees, int expectedLength, string expectedStart)
    {
        Assert.True(LengthPrefixedRow.TryParse(line, 2, out var values, out var length, out var start));
        Assert.Equal([expectedAllocs, expectedFrees], values);
        Assert.Equal(expectedLength, length);
        Assert.Equal(expectedStart, start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("      1        2")]
    [InlineData("      1        2    3")]
    [InlineData("       1        2 dentry")]
    [InlineData("       1    6 dentry")]
    [InlineData("       1        2     3 dentry")]
    [InlineData("       1        2     0 ")]
    [InlineData("       1\t       2     6 dentry")]
    [InlineData("  ALLOCS    FREES   LEN SLAB")]
    public void TryParse_TwoColumnsMalformedRow_ReturnsFalse(string line)
    {
        Assert.False(LengthPrefixedRow.TryParse(line, 2, out _, out _, out _));
    }
}
