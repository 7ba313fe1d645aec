using Tracefleet.Agent.Replay;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Replay;

/// <summary>
/// The synthesized length-prefixed captures (see tests/fixtures/captures/README.md): hostile file and
/// cache names, each of which must come out as exactly one row with its whole name.
/// </summary>
public class SyntheticCaptureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadAsync_SyntheticStapPfstat_YieldsTheIntendedRows()
    {
        var intervals = await CaptureFile.ReadAsync(Fixtures.Capture(SyntheticCaptures.StapPfstat), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SyntheticCaptures.StapPfstatIntervals, intervals.Select(IntervalReading.Sorted));
        Assert.All(intervals, i => Assert.Equal(TableFormats.PageFaultsLengthPrefixed, i.Format));
        Assert.All(intervals, i => Assert.Equal(0, i.MalformedLines));
    }

    [Fact]
    public async Task ReadAsync_SyntheticDtraceKmemstat_YieldsTheIntendedRows()
    {
        var intervals = await CaptureFile.ReadAsync(Fixtures.Capture(SyntheticCaptures.DtraceKmemstat), CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(SyntheticCaptures.DtraceKmemstatIntervals, intervals.Select(IntervalReading.Sorted));
        Assert.All(intervals, i => Assert.Equal(TableFormats.KmemLengthPrefixed, i.Format));
        Assert.All(intervals, i => Assert.Equal(0, i.MalformedLines));
    }

    [Theory]
    [InlineData(SyntheticCaptures.StapPfstat, new byte[] { (byte)'d', 0xFF, (byte)'n' })]
    [InlineData(SyntheticCaptures.StapPfstat, new byte[] { (byte)'f', 0x0D, 0x0A, (byte)'z' })]
    [InlineData(SyntheticCaptures.StapPfstat, new byte[] { (byte)'r', 0x0D, (byte)' ' })]
    [InlineData(SyntheticCaptures.DtraceKmemstat, new byte[] { (byte)'d', 0xFE, 0xC3, 0x0A })]
    [InlineData(SyntheticCaptures.DtraceKmemstat, new byte[] { 0xC3, 0xBC, (byte)'n' })]
    public async Task SyntheticCapture_OnDisk_KeepsItsExactBytes(string capture, byte[] bytes)
    {
        // Guards the fixtures against an editor re-saving them as clean UTF-8 text or with other line ends.
        var content = await File.ReadAllBytesAsync(Fixtures.Capture(capture)).WaitAsync(Timeout);

        Assert.True(content.AsSpan().IndexOf(bytes) >= 0, $"{capture} lost the bytes {Convert.ToHexString(bytes)}");
    }
}
