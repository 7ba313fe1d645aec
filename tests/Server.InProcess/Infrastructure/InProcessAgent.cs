using Grpc.Core;
using Grpc.Net.Client;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.InProcess.Infrastructure;

/// <summary>
/// One agent's ingest stream as the wire contract has it, through the contract's generated client. Every wait gives up
/// after <see cref="Patience"/>.
/// </summary>
public sealed class InProcessAgent : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly AsyncDuplexStreamingCall<AgentMessage, ServerMessage> _call;

    /// <summary>Opens the call with <paramref name="token"/> in its headers (none when null); nothing of the body is sent yet.</summary>
    public InProcessAgent(GrpcChannel channel, string? token)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", $"Bearer {token}");
        }

        _call = new Contract.V1.Ingest.IngestClient(channel).Connect(headers, DateTime.UtcNow + Patience);
    }

    public static Hello Hello(string host, ulong epoch, params string[] probes) => new()
    {
        Host = host,
        Os = "linux",
        Kernel = "6.18.0",
        AgentVersion = "0.1.0",
        Backend = "bpftrace",
        Epoch = epoch,
        Probes = { probes.Select(p => new ProbeInfo { Name = p, Variant = "in-process" }) },
    };

    /// <summary>A pagefaults snapshot that started <paramref name="secondsAgo"/> seconds ago, one second long.</summary>
    public static Snapshot PageFaults(ulong sequence, int secondsAgo, params (string Key, ulong Faults)[] rows) => new()
    {
        Sequence = sequence,
        Probe = "pagefaults",
        StartUnixMs = DateTimeOffset.UtcNow.AddSeconds(-secondsAgo).ToUnixTimeMilliseconds(),
        DurationMs = 1000,
        Rows = { rows.Select(r => new Row { Key = r.Key, Values = { r.Faults } }) },
    };

    /// <summary>Sends the Hello and returns the server's first answer.</summary>
    public async Task<ServerMessage> HelloAsync(Hello hello)
    {
        await SendAsync(new AgentMessage { Hello = hello });
        return await NextAsync();
    }

    public Task SendAsync(Snapshot snapshot) => SendAsync(new AgentMessage { Snapshot = snapshot });

    public Task SendAsync(AgentMessage message) => _call.RequestStream.WriteAsync(message).WaitAsync(Patience);

    /// <summary>The server's next message; an <see cref="RpcException"/> when it ended the call with a status.</summary>
    public async Task<ServerMessage> NextAsync()
    {
        if (!await _call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Patience))
        {
            throw new InvalidOperationException("the server ended the stream without a status");
        }

        return _call.ResponseStream.Current;
    }

    /// <summary>Acks until every one of <paramref name="sequences"/> is answered: stored, and rejected with the reason.</summary>
    public async Task<(List<ulong> Stored, Dictionary<ulong, string> Rejected)> AnswersAsync(params ulong[] sequences)
    {
        var (stored, rejected) = (new List<ulong>(), new Dictionary<ulong, string>());
        while (!sequences.All(s => stored.Contains(s) || rejected.ContainsKey(s)))
        {
            var ack = (await NextAsync()).Ack ?? throw new InvalidOperationException("expected an Ack");
            stored.AddRange(ack.Sequences);
            foreach (var sequence in ack.Rejected)
            {
                rejected[sequence] = ack.RejectedReason;
            }
        }

        return (stored, rejected);
    }

    public void Dispose() => _call.Dispose();
}
