using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Holds a new stream until its first gRPC message, the Hello, has arrived whole: within <c>Limits:HelloTimeoutSeconds</c>
/// and announcing at most <c>Limits:MaxHelloBytes</c>. A Hello is a few hundred bytes, so an authenticated stream that
/// announces a large first message, or sends nothing, is ended before the server buffers it or keeps it open; later
/// messages keep <c>Limits:MaxMessageBytes</c>. It reads the request body without consuming it: gRPC then reads the
/// same bytes as if nothing had looked.
/// </summary>
public static class HelloGate
{
    /// <summary>Bytes before a gRPC message: a compression flag and the message length (big-endian).</summary>
    private const int PrefixLength = 5;

    /// <summary>
    /// Null once the first message is complete in <paramref name="body"/> (or the body ended: gRPC reports that itself).
    /// A <see cref="AgentRefusalKind.ResourceExhausted"/> refusal when it announces more than <paramref name="maxBytes"/>,
    /// a <see cref="AgentRefusalKind.DeadlineExceeded"/> one when it is not complete within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<AgentRefusal?> WaitAsync(PipeReader body, int maxBytes, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            ReadResult read;
            try
            {
                read = await body.ReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return new AgentRefusal(AgentRefusalKind.DeadlineExceeded, $"no complete Hello within {timeout.TotalSeconds:0.#} s of opening the stream");
            }

            var buffer = read.Buffer;
            var announced = Announced(buffer);
            if (announced > maxBytes)
            {
                body.AdvanceTo(buffer.Start);
                return new AgentRefusal(
                    AgentRefusalKind.ResourceExhausted, $"the first message must be a Hello of at most {maxBytes} bytes; this one announces {announced}");
            }

            if ((announced is { } length && buffer.Length >= PrefixLength + length) || read.IsCompleted || read.IsCanceled)
            {
                body.AdvanceTo(buffer.Start);
                return null;
            }

            // Seen, not consumed: the next read waits for more bytes, and HTTP/2 flow control lets the agent send them.
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The length the first message announces; null until its prefix has arrived.</summary>
    private static long? Announced(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < PrefixLength)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
    }
}
