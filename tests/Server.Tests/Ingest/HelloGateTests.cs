using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

/// <summary>The first message of a stream: small, complete within the deadline, and left in the body for gRPC to read.</summary>
public sealed class HelloGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly Pipe _body = new();

    private Task<AgentRefusal?> Wait() => HelloGate.WaitAsync(_body.Reader, maxBytes: 1024, TimeSpan.FromSeconds(10), _time, CancellationToken.None);

    [Fact]
    public async Task WaitAsync_HelloArrivesInPieces_ReturnsOnceWholeAndLeavesEveryByteUnread()
    {
        var message = Message(100);
        var waiting = Wait();
        await _body.Writer.WriteAsync(message.AsMemory(0, 3));
        await _body.Writer.WriteAsync(message.AsMemory(3, 50));
        Assert.False(waiting.IsCompleted);

        await _body.Writer.WriteAsync(message.AsMemory(53));
        Assert.Null(await waiting.WaitAsync(Patience));

        var read = await _body.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(message, System.Buffers.BuffersExtensions.ToArray(read.Buffer));
    }

    [Fact]
    public async Task WaitAsync_FirstMessageAnnouncesMoreThanTheCap_ResourceExhaustedFromThePrefixAlone()
    {
        var waiting = Wait();
        await _body.Writer.WriteAsync(Message(8 * 1024 * 1024).AsMemory(0, 5));

        var refused = await waiting.WaitAsync(Patience);

        Assert.Equal(AgentRefusalKind.ResourceExhausted, refused?.Kind);
        Assert.Contains("at most 1024 bytes", refused?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitAsync_NoHelloBeforeTheDeadline_DeadlineExceeded()
    {
        var waiting = Wait();
        await _body.Writer.WriteAsync(Message(100).AsMemory(0, 20));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        var refused = await waiting.WaitAsync(Patience);

        Assert.Equal(AgentRefusalKind.DeadlineExceeded, refused?.Kind);
    }

    [Fact]
    public async Task WaitAsync_BodyEndsBeforeAnyMessage_ReturnsForGrpcToReport()
    {
        var waiting = Wait();
        await _body.Writer.CompleteAsync();

        Assert.Null(await waiting.WaitAsync(Patience));
    }

    /// <summary>A gRPC message: no compression, the length big-endian, then that many bytes.</summary>
    private static byte[] Message(int length)
    {
        var message = new byte[5 + Math.Min(length, 1024 * 1024)];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)length);
        message.AsSpan(5).Fill(0x2a);
        return message;
    }
}
