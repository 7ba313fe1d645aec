using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Tracefleet.Contract.V1;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// An agent that is not Tracefleet's: it speaks the wire contract directly, so a test can send what a foreign, old or
/// broken agent might (fields out of range, a NaN rate) and see every answer the server gives.
/// </summary>
public sealed class WireAgent : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, ServerMessage> _call;
    private readonly Channel<Ack> _acks = Channel.CreateUnbounded<Ack>();
    private readonly Task _receiving;

    private WireAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, ServerMessage> call, Welcome welcome)
    {
        _channel = channel;
        _call = call;
        Welcome = welcome;
        _receiving = ReceiveAsync();
    }

    public Welcome Welcome { get; }

    /// <summary>The status the server ended the call with, once it has; null while it is open.</summary>
    public Status? EndedWith { get; private set; }

    /// <summary>
    /// Connects as <paramref name="host"/> (an open server, or one given <paramref name="token"/>) and waits for the Welcome;
    /// <paramref name="shape"/> may change the Hello first (a foreign agent's fields).
    /// </summary>
    public static async Task<WireAgent> ConnectAsync(Uri server, string host, ulong epoch, string[] probes, string? token = null, Action<Hello>? shape = null)
    {
        var channel = GrpcChannel.ForAddress(server);
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", $"Bearer {token}");
        }

        var call = new Tracefleet.Contract.V1.Ingest.IngestClient(channel).Connect(headers);
        var hello = new Hello { Host = host, Os = "linux", AgentVersion = "wire-test", Backend = "wire", Epoch = epoch };
        hello.Probes.AddRange(probes.Select(p => new ProbeInfo { Name = p, Variant = "wire" }));
        shape?.Invoke(hello);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello });
        }
        catch (Exception e) when (e is RpcException or HttpProtocolException or IOException)
        {
            // A server that refuses a Hello while it is still being sent answers and resets the stream (or, a listener
            // that speaks no HTTP/2, the connection); the write then fails on its own, and the call's status says why.
            await call.ResponseStream.MoveNext(timeout.Token);
            throw;
        }

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the server ended the stream instead of welcoming the agent");
        return new WireAgent(channel, call, call.ResponseStream.Current.Welcome ?? throw new InvalidOperationException("no Welcome"));
    }

    public Task SendAsync(Snapshot snapshot) => _call.RequestStream.WriteAsync(new AgentMessage { Snapshot = snapshot });

    public Task SendAsync(ProbeStatus status) => _call.RequestStream.WriteAsync(new AgentMessage { ProbeStatus = status });

    /// <summary>
    /// Sends one snapshot of <paramref name="probe"/>, sequence <paramref name="sequence"/>, for the second before now with one
    /// row, and returns how the server answered it.
    /// </summary>
    public async Task<Answer> SendOneAsync(ulong sequence, string probe, string key, ulong[] values, TimeSpan timeout)
    {
        var snapshot = new Snapshot
        {
            Sequence = sequence,
            Probe = probe,
            StartUnixMs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000) - 1000,
            DurationMs = 1000,
            Rows = { new Row { Key = key, Values = { values } } },
        };
        await SendAsync(snapshot);
        return (await AnswersAsync([sequence], timeout))[sequence];
    }

    /// <summary>Reads acks until every sequence in <paramref name="sequences"/> is answered; returns how each was.</summary>
    public async Task<Dictionary<ulong, Answer>> AnswersAsync(IEnumerable<ulong> sequences, TimeSpan timeout)
    {
        var wanted = sequences.ToHashSet();
        var answers = new Dictionary<ulong, Answer>();
        using var cancel = new CancellationTokenSource(timeout);
        while (wanted.Count > 0)
        {
            var ack = await _acks.Reader.ReadAsync(cancel.Token);
            foreach (var sequence in ack.Sequences)
            {
                answers[sequence] = new Answer(AnswerKind.Stored, null);
                wanted.Remove(sequence);
            }

            foreach (var sequence in ack.Rejected)
            {
                answers[sequence] = new Answer(AnswerKind.Rejected, ack.RejectedReason);
                wanted.Remove(sequence);
            }

            foreach (var sequence in ack.Conflicts)
            {
                answers[sequence] = new Answer(AnswerKind.Conflict, null);
                wanted.Remove(sequence);
            }
        }

        return answers;
    }

    private async Task ReceiveAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
            {
                if (message.Ack is { } ack)
                {
                    await _acks.Writer.WriteAsync(ack);
                }
            }

            EndedWith = Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            EndedWith = e.Status;
        }
        finally
        {
            _acks.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
            await _receiving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or TimeoutException)
        {
            // Already ended by the server.
        }

        _call.Dispose();
        _channel.Dispose();
    }

    public enum AnswerKind
    {
        Stored,
        Rejected,
        Conflict,
    }

    public sealed record Answer(AnswerKind Kind, string? Reason);
}
