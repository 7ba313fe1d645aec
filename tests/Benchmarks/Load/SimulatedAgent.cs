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
    public async Task RunAsync(GrpcChannel channel, DateTime until, CancellationToken cancellationToken)
    {
        var client = new Ingest.IngestClient(channel);
        using var call = client.Connect(cancellationToken: cancellationToken);
        var hello = new Hello { Host = host, Os = "linux", Kernel = "bench", AgentVersion = "bench", Backend = "replay", Epoch = (ulong)Random.Shared.NextInt64(1, long.MaxValue) };
        hello.Probes.Add(new ProbeInfo { Name = "pagefaults", Variant = "bench" });
        hello.Probes.Add(new ProbeInfo { Name = "kmem", Variant = "bench" });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, cancellationToken).ConfigureAwait(false);
        var rows = new System.Collections.Concurrent.ConcurrentDictionary<ulong, int>();
        var acks = ReadAcksAsync(call.ResponseStream, rows, cancellationToken);

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
            foreach (var (probe, keys) in new[] { ("pagefaults", faults), ("kmem", kmem) })
            {
                keys.Churn();
                var snapshot = new Snapshot { Sequence = ++sequence, Probe = probe, StartUnixMs = start, DurationMs = 1000 };
                foreach (var (key, first, second) in keys.Values())
                {
                    var row = new Row { Key = key };
                    row.Values.Add(first);
                    if (probe == "kmem")
                    {
                        row.Values.Add(second);
                    }

                    snapshot.Rows.Add(row);
                }

                rows[sequence] = snapshot.Rows.Count;
                stats.Sending();
                try
                {
                    await call.RequestStream.WriteAsync(new AgentMessage { Snapshot = snapshot }, cancellationToken).ConfigureAwait(false);
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
