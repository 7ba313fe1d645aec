using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Tracefleet.Contract.V1;

namespace Tracefleet.Benchmarks.Load;

/// <summary>Counters shared by every simulated agent; read by the reporter.</summary>
internal sealed class LoadStats
{
    private long _snapshots;
    private long _samples;
    private long _sent;

    public long Snapshots => Interlocked.Read(ref _snapshots);

    public long Samples => Interlocked.Read(ref _samples);

    public long Sent => Interlocked.Read(ref _sent);

    public void Acked(long snapshots, long samples)
    {
        Interlocked.Add(ref _snapshots, snapshots);
        Interlocked.Add(ref _samples, samples);
    }

    public void Sending() => Interlocked.Increment(ref _sent);
}

/// <summary>
/// One host's agent as the server sees it: Hello, then one pagefaults and one kmem snapshot a second on a
/// bidirectional stream, counting what the server acknowledges (acks come after the commit).
/// </summary>
internal sealed class SimulatedAgent(string host, KeySet faults, KeySet kmem, int phaseMs, LoadStats stats)
{
    // The real ingest stream's method, its requests passed through as bytes the encoder wrote: the server is unchanged.
    private static readonly Method<Encoded, ServerMessage> Connect = new(
        MethodType.DuplexStreaming,
        Ingest.Descriptor.FullName,
        "Connect",
        Marshallers.Create<Encoded>(
            (message, context) =>
            {
                var bytes = message.Bytes;
                context.SetPayloadLength(bytes.Length);
                var writer = context.GetBufferWriter();
                bytes.Span.CopyTo(writer.GetSpan(bytes.Length));
                writer.Advance(bytes.Length);
                context.Complete();
            },
            _ => throw new NotSupportedException("the generator only sends")),
        Marshallers.Create(m => m.ToByteArray(), ServerMessage.Parser.ParseFrom));

    private static readonly ByteString PagefaultsName = SnapshotEncoder.Utf8("pagefaults");
    private static readonly ByteString KmemName = SnapshotEncoder.Utf8("kmem");

    public async Task RunAsync(GrpcChannel channel, DateTime until, CancellationToken cancellationToken)
    {
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(Connect, null, new CallOptions(cancellationToken: cancellationToken));
        var hello = new Hello { Host = host, Os = "linux", Kernel = "bench", AgentVersion = "bench", Backend = "replay", Epoch = (ulong)Random.Shared.NextInt64(1, long.MaxValue) };
        hello.Probes.Add(new ProbeInfo { Name = "pagefaults", Variant = "bench" });
        hello.Probes.Add(new ProbeInfo { Name = "kmem", Variant = "bench" });
        await call.RequestStream.WriteAsync(new Encoded(new AgentMessage { Hello = hello }.ToByteArray()), cancellationToken).ConfigureAwait(false);
        var rows = new System.Collections.Concurrent.ConcurrentDictionary<ulong, int>();
        var acks = ReadAcksAsync(call.ResponseStream, rows, cancellationToken);
        var encoder = new SnapshotEncoder();

        ulong sequence = 0;
        var next = DateTime.UtcNow.AddMilliseconds(phaseMs);
        while (next < until && !cancellationToken.IsCancellationRequested)
        {
            var delay = next - DateTime.UtcNow;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }

            var start = new DateTimeOffset(next).ToUnixTimeMilliseconds() / 1000 * 1000;
            foreach (var (probe, keys, columns) in new[] { (PagefaultsName, faults, 1), (KmemName, kmem, 2) })
            {
                keys.Next(start);
                var bytes = encoder.Encode(++sequence, probe, start, 1000, keys.EncodedKeys, keys.First, keys.Second, columns);
                rows[sequence] = keys.Keys.Count;
                stats.Sending();
                try
                {
                    // The encoder's buffer is reused: the write has copied it once this completes.
                    await call.RequestStream.WriteAsync(new Encoded(bytes), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException)
                {
                    // The run ended while a server that is behind held this write back: what it acknowledged is counted.
                    return;
                }
            }

            next = next.AddSeconds(1);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        try
        {
            await acks.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The server is behind: what it has not acknowledged by now is simply not counted.
        }
    }

    private async Task ReadAcksAsync(IAsyncStreamReader<ServerMessage> responses, System.Collections.Concurrent.ConcurrentDictionary<ulong, int> rows, CancellationToken cancellationToken)
    {
        try
        {
            while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (responses.Current.Ack is { } ack)
                {
                    long samples = 0;
                    foreach (var sequence in ack.Sequences)
                    {
                        samples += rows.TryRemove(sequence, out var n) ? n : 0;
                    }

                    stats.Acked(ack.Sequences.Count, samples);
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The run is over.
        }
    }
}

/// <summary>An <c>AgentMessage</c> already in wire form (gRPC's request type must be a class).</summary>
internal sealed record Encoded(ReadOnlyMemory<byte> Bytes);
