using System.Text;
using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Tests.Processes;

public class OutputLinesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, like a pipe under load.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static async Task<List<OutputLine>> ReadLinesAsync(byte[] content, int chunk)
    {
        using var stream = new TrickleStream(content, chunk);
        var lines = new List<OutputLine>();
        await foreach (var line in OutputLines.ReadAsync(stream, CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static async Task<List<string>> ReadAllAsync(byte[] content, int chunk) =>
        [.. (await ReadLinesAsync(content, chunk)).Select(l => l.Text)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task ReadAsync_CarriageReturns_SplitOnlyAtNewline(int chunk)
    {
        var content = Encoding.Latin1.GetBytes("  FAULTS   LEN VMFILE\n       2     7 crlf\r\nz\n\n       1     3 a\rb\n");

        var lines = await ReadAllAsync(content, chunk).WaitAsync(Timeout);

        Assert.Equal(["  FAULTS   LEN VMFILE", "       2     7 crlf\r", "z", "", "       1     3 a\rb"], lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public async Task ReadAsync_AnyBytes_OneCharPerByte(int chunk)
    {
        byte[] content = [0xFF, 0xC3, 0xBC, 0x00, 0x80, (byte)'\n', 0x7F];

        var lines = await ReadAllAsync(content, chunk).WaitAsync(Timeout);

        Assert.Equal(["\u00ff\u00c3\u00bc\u0000\u0080", "\u007f"], lines);
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("\n", new[] { "" })]
    [InlineData("a\n", new[] { "a" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\nb", new[] { "a", "b" })]
    [InlineData("\n\n", new[] { "", "" })]
    public async Task ReadAsync_LastLineWithOrWithoutNewline_KeptOnce(string text, string[] expected)
    {
        var lines = await ReadAllAsync(Encoding.Latin1.GetBytes(text), 2).WaitAsync(Timeout);

        Assert.Equal(expected, lines);
    }

    [Theory]
    [InlineData("a\nb\n", true)]
    [InlineData("a\nb", false)]
    [InlineData("a\nb\r", false)]
    [InlineData("a\nb\r\n", true)]
    public async Task ReadAsync_LastLine_SaysWhetherItsNewlineArrived(string text, bool terminated)
    {
        var lines = await ReadLinesAsync(Encoding.Latin1.GetBytes(text), 1).WaitAsync(Timeout);

        Assert.Equal(2, lines.Count);
        Assert.True(lines[0].Terminated);
        Assert.Equal(terminated, lines[1].Terminated);
        Assert.Equal(text.TrimEnd('\n'), $"a\n{lines[1].Text}");
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanTheReadBuffer_ReturnedWhole()
    {
        var longLine = new string('k', 100_000);

        var lines = await ReadAllAsync(Encoding.Latin1.GetBytes(longLine + "\nnext\n"), 50_000).WaitAsync(Timeout);

        Assert.Equal([longLine, "next"], lines);
    }
}
