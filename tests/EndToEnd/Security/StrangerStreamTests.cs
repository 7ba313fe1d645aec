using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// What a stranger can do to the ingest port with raw HTTP/2, as the server's own answers and memory show it: a call without
/// a valid token is refused at its headers, before a byte of body; a stream's first message is small and comes on time;
/// streams per connection and connections are limited. Frames are written by hand (<see cref="RawHttp2"/>), so nothing a
/// well-behaved client would do hides what the server does.
/// </summary>
public sealed class StrangerStreamTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AlphaToken = "alpha-token-for-tests-only";
    private const int EightMegabytes = 8 * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Auth:AgentTokens:alpha"] = AlphaToken });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null, "no agent token")]
    [InlineData("guessed", "the token is not valid for this host")]
    public async Task Connect_NoOrUnknownToken_UnauthenticatedAtTheHeadersBeforeAnyBody(string? token, string message)
    {
        await using var h2 = await ConnectAsync(_server);

        var call = await h2.OpenIngestCallAsync(token);
        var answer = await h2.AnswerAsync(call, Patience);

        // Not one byte of body was sent: the refusal can only come from the headers.
        Assert.NotNull(answer);
        Assert.Equal(16, answer.GrpcStatus);
        Assert.StartsWith(message, answer.GrpcMessage, StringComparison.Ordinal);
        Assert.Equal(0, answer.DataBytes);
    }

    [Fact]
    public async Task ThirtyTwoStreamsAnnouncingEightMegabytes_WithoutToken_AllRefusedServerMemoryStaysFlat()
    {
        // A first refused call warms the path up, so what follows measures buffering, not code loaded once.
        await using (var warm = await ConnectAsync(_server))
        {
            Assert.Equal(16, (await warm.AnswerAsync(await warm.OpenIngestCallAsync(null), Patience))?.GrpcStatus);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = ProcessMemory.RssMb(_server.ProcessId);
        var body = Message(EightMegabytes, sendBytes: 7 * 1024 * 1024);
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConnectAsync(_server)));
        try
        {
            var calls = await Task.WhenAll(connections.SelectMany(h2 => Enumerable.Range(0, 8).Select(async _ =>
            {
                var call = await h2.OpenIngestCallAsync(null);
                // As much of the 7 MB as the server lets through, then the stream stalls: it is never completed.
                var sent = await h2.SendAsync(call, body, stall: TimeSpan.FromSeconds(2));
                return (Answer: await h2.AnswerAsync(call, Patience), Sent: sent);
            })));
            var during = ProcessMemory.RssMb(_server.ProcessId);

            Assert.All(calls, c => Assert.Equal(16, c.Answer?.GrpcStatus));
            output.WriteLine($"32 stalled streams announcing 8 MB without a token: server RSS {before:F0} MB before, {during:F0} MB with them open; "
                + $"{calls.Sum(c => c.Sent) / 1024} KiB of body sent before each was refused");
            Assert.True(during - before < 40, $"server RSS grew from {before:F0} to {during:F0} MB");
        }
        finally
        {
            foreach (var h2 in connections)
            {
                await h2.DisposeAsync();
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = ProcessMemory.RssMb(_server.ProcessId);
        output.WriteLine($"after they closed: {after:F0} MB");
        Assert.True(after - before < 40, $"server RSS grew from {before:F0} to {after:F0} MB");
    }

    [Fact]
    public async Task FirstMessageAnnouncingEightMegabytes_WithAValidToken_ResourceExhaustedFromItsPrefix()
    {
        await using var h2 = await ConnectAsync(_server);

        var call = await h2.OpenIngestCallAsync(AlphaToken);
        await h2.SendAsync(call, Message(EightMegabytes, sendBytes: 0), Patience);
        var answer = await h2.AnswerAsync(call, Patience);

        Assert.NotNull(answer);
        Assert.Equal(8, answer.GrpcStatus);
        Assert.Contains("Hello of at most 65536 bytes; this one announces 8388608", answer.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamThatNeverSendsAHello_WithAValidToken_EndedByTheHelloDeadline()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:AgentTokens:alpha"] = AlphaToken,
            ["Limits:HelloTimeoutSeconds"] = "2",
        });
        await using var h2 = await ConnectAsync(server);

        var silent = await h2.OpenIngestCallAsync(AlphaToken);
        var partial = await h2.OpenIngestCallAsync(AlphaToken);
        await h2.SendAsync(partial, Message(200, sendBytes: 100), Patience);

        foreach (var call in new[] { silent, partial })
        {
            var answer = await h2.AnswerAsync(call, Patience);
            Assert.NotNull(answer);
            Assert.Equal(4, answer.GrpcStatus);
            Assert.Equal("no complete Hello within 2 s of opening the stream", answer.GrpcMessage);
        }
    }

    [Fact]
    public async Task StreamsAndConnectionsPastTheirLimits_RefusedStreamAndConnectionClosed()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:AgentTokens:alpha"] = AlphaToken,
            ["Limits:MaxStreamsPerConnection"] = "4",
            ["Limits:MaxIngestConnections"] = "3",
            // The streams below wait for a Hello that never comes; they must outlive the test's checks.
            ["Limits:HelloTimeoutSeconds"] = "120",
        });
        var first = await ConnectAsync(server);
        var second = await ConnectAsync(server);
        var third = await ConnectAsync(server);
        try
        {
            Assert.Equal(4u, first.ServerSettings[RawHttp2.SettingsMaxConcurrentStreams]);
            var open = new List<int>();
            for (var i = 0; i < 4; i++)
            {
                open.Add(await first.OpenIngestCallAsync(AlphaToken));
            }

            var fifth = await first.OpenIngestCallAsync(AlphaToken);
            var refused = await first.AnswerAsync(fifth, Patience);
            Assert.NotNull(refused);
            Assert.Equal(RawHttp2.RefusedStream, refused.ResetCode);
            foreach (var call in open)
            {
                Assert.Null(await first.AnswerAsync(call, TimeSpan.Zero));
            }

            await using (var fourth = await RawHttp2.ConnectAsync(server.IngestUrl))
            {
                Assert.False(await fourth.SettingsReceivedAsync(TimeSpan.FromSeconds(10)), "a fourth connection was served");
                Assert.True(fourth.Closed.IsCompleted, "the fourth connection was left open");
            }

            await third.DisposeAsync();
            var again = await Poll.UntilAsync(
                async () =>
                {
                    var h2 = await RawHttp2.ConnectAsync(server.IngestUrl);
                    var served = await h2.SettingsReceivedAsync(TimeSpan.FromSeconds(5));
                    await h2.DisposeAsync();
                    return served;
                },
                served => served,
                Patience);
            Assert.True(again, "no connection was served once one closed");
            var metrics = await server.Http.GetStringAsync("/metrics");
            var counted = Regex.Match(metrics, @"^tracefleet_ingest_connections_refused_total (\d+)$", RegexOptions.Multiline);
            Assert.True(counted.Success && int.Parse(counted.Groups[1].Value, CultureInfo.InvariantCulture) >= 1, "refused connections not counted");
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            await third.DisposeAsync();
        }
    }

    private static async Task<RawHttp2> ConnectAsync(ServerProcess server)
    {
        var h2 = await RawHttp2.ConnectAsync(server.IngestUrl);
        Assert.True(await h2.SettingsReceivedAsync(Patience), "the server sent no SETTINGS");
        return h2;
    }

    /// <summary>A gRPC message prefix announcing <paramref name="announced"/> bytes, followed by <paramref name="sendBytes"/> of them.</summary>
    private static byte[] Message(int announced, int sendBytes)
    {
        var message = new byte[5 + sendBytes];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)announced);
        message.AsSpan(5).Fill(0x0a);
        return message;
    }
}
