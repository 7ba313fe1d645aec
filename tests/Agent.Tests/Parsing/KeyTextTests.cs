using System.Text;

namespace Tracefleet.Agent.Tests.Parsing;

public class KeyTextTests
{
    [Fact]
    public void FromRawBytes_Ascii_ReturnsSameString()
    {
        const string Raw = "libc.so.6 [ anon ] ???";

        Assert.Same(Raw, KeyText.FromRawBytes(Raw));
    }

    [Theory]
    [InlineData("ünïcödé.so")]
    [InlineData("日本語.txt")]
    [InlineData("emoji-😀.so")]
    [InlineData("mixed ascii and ß")]
    public void FromRawBytes_ValidUtf8_DecodesText(string text)
    {
        // The bytes a tracer prints for this name, one char per byte (Latin-1), written out independently of KeyText.
        var raw = new string([.. Encoding.UTF8.GetBytes(text).Select(b => (char)b)]);

        Assert.Equal(text, KeyText.FromRawBytes(raw));
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
    public void FromRawBytes_InvalidUtf8_EachBadByteBecomesEscape(string raw, string expected)
    {
        Assert.Equal(expected, KeyText.FromRawBytes(raw));
    }

    [Theory]
    [InlineData("libc.so.6")]
    [InlineData("ünïcödé.so")]
    [InlineData("x\n       5     3 ???")]
    [InlineData("日本語 😀")]
    public void ToRawBytes_ThenFromRawBytes_RoundTrips(string text)
    {
        Assert.Equal(text, KeyText.FromRawBytes(KeyText.ToRawBytes(text)));
    }

    [Fact]
    public void ToRawBytes_NonAscii_OneCharPerUtf8Byte()
    {
        Assert.Equal("\u00c3\u00bc", KeyText.ToRawBytes("ü"));
    }
}
