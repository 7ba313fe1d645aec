using System.Text;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Tests.Contract;

/// <summary>The key rule as the agent applies it to keys read from tracer output, one char per byte.</summary>
public class KeyRuleTests
{
    /// <summary>The bytes a tracer prints for this text, one char per byte (Latin-1), written out independently of the rule.</summary>
    private static string Raw(string text) => new([.. Encoding.UTF8.GetBytes(text).Select(b => (char)b)]);

    [Fact]
    public void TryFromRawBytes_PrintableAscii_ReturnsSameString()
    {
        const string Raw = "libc.so.6 [ anon ] ??? \\x41";

        Assert.True(KeyRule.TryFromRawBytes(Raw, KeyRule.MaxLength, out var key));
        Assert.Same(Raw, key);
    }

    [Theory]
    [InlineData("ünïcödé.so")]
    [InlineData("日本語.txt")]
    [InlineData("emoji-😀.so")]
    [InlineData("mixed ascii and ß")]
    public void TryFromRawBytes_ValidUtf8_DecodesText(string text)
    {
        Assert.True(KeyRule.TryFromRawBytes(Raw(text), KeyRule.MaxLength, out var key));
        Assert.Equal(text, key);
    }

    [Theory]
    [InlineData("\u00ff", "\\xff")]
    [InlineData("bad\u00ffname", "bad\\xffname")]
    [InlineData("\u00c3", "\\xc3")]
    [InlineData("a\u00c3", "a\\xc3")]
    [InlineData("\u00c3(", "\\xc3(")]
    [InlineData("\u00c0\u00af", "\\xc0\\xaf")]
    [InlineData("\u00ed\u00a0\u0080", "\\xed\\xa0\\x80")]
    [InlineData("\u00e2\u0082", "\\xe2\\x82")]
    [InlineData("\u00fe\u00c3\u00bc", "\\xfe\u00fc")]
    [InlineData("\u0080", "\\x80")]
    public void TryFromRawBytes_InvalidUtf8_EachBadByteBecomesEscape(string raw, string expected)
    {
        Assert.True(KeyRule.TryFromRawBytes(raw, KeyRule.MaxLength, out var key));
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("x\n       5     3 ???", "x\\x0a       5     3 ???")]
    [InlineData("cr\r", "cr\\x0d")]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("tab\there", "tab\\x09here")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("c1\u00c2\u0085", "c1\\xc2\\x85")]
    public void TryFromRawBytes_ControlCharacters_EscapedByteForByte(string raw, string expected)
    {
        Assert.True(KeyRule.TryFromRawBytes(raw, KeyRule.MaxLength, out var key));
        Assert.Equal(expected, key);
        Assert.True(KeyRule.IsValid(key, KeyRule.MaxLength));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("a\0")]
    [InlineData("\0\0\0\0")]
    [InlineData("lib\0c.so")]
    public void TryFromRawBytes_EmptyOrHoldingNul_NoKey(string raw)
    {
        Assert.False(KeyRule.TryFromRawBytes(raw, KeyRule.MaxLength, out _));
    }

    [Theory]
    [InlineData(4096, 4096)]
    [InlineData(4097, 4096)]
    [InlineData(100_000, 4096)]
    public void TryFromRawBytes_LongAsciiKey_CutToTheLimitWithMarker(int length, int expectedLength)
    {
        Assert.True(KeyRule.TryFromRawBytes(new string('k', length), KeyRule.MaxLength, out var key));

        Assert.Equal(expectedLength, key.Length);
        Assert.Equal(length > KeyRule.MaxLength, key.EndsWith(KeyRule.CutMarker, StringComparison.Ordinal));
        Assert.True(KeyRule.IsValid(key, KeyRule.MaxLength));
    }

    [Fact]
    public void TryFromRawBytes_LongKeyOfMultiByteCharacters_CutAtAWholeCharacter()
    {
        // 3,000 emoji: two UTF-16 characters each, so the cut falls where half of one would otherwise remain.
        Assert.True(KeyRule.TryFromRawBytes(Raw(string.Concat(Enumerable.Repeat("😀", 3000))), KeyRule.MaxLength, out var key));

        Assert.EndsWith(KeyRule.CutMarker, key, StringComparison.Ordinal);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 2046)) + KeyRule.CutMarker, key);
        Assert.True(KeyRule.IsValid(key, KeyRule.MaxLength));
    }
}
