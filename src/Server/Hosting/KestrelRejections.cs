using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Requests that are not valid HTTP/1.1 (an encoded NUL <c>%00</c> in the path, a malformed request line or header, headers
/// too large) are refused by Kestrel itself before any middleware runs, with an empty body and the connection closed. This
/// connection middleware gives those answers the problem body every other refusal has: it relays the web listener's output
/// and, where Kestrel wrote such a bodiless refusal, adds a <c>Content-Type</c> and a problem+json body. Everything else
/// passes through unchanged (JSON, CSV and WebSocket frames never hold a raw CR LF, so no answer of the server's own looks
/// like one).
/// </summary>
public static class KestrelRejections
{
    /// <summary>The longest status line and headers Kestrel writes for a refusal; past this, held bytes are sent as they are.</summary>
    private const int MaxHeld = 1024;

    private static readonly byte[] StatusPrefix = "HTTP/1.1 "u8.ToArray();
    private const string Bodiless = "Content-Length: 0\r\nConnection: close";
    private static readonly byte[] HeadersEnd = "\r\n\r\n"u8.ToArray();

    public static void Explain(ListenOptions listen) =>
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var relay = new Pipe(new PipeOptions(useSynchronizationContext: false));
            connection.Transport = new Duplex(transport.Input, relay.Writer);
            var relaying = RelayAsync(relay.Reader, transport.Output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await relay.Writer.CompleteAsync().ConfigureAwait(false);
                await relaying.ConfigureAwait(false);
                connection.Transport = transport;
            }
        });

    private static async Task RelayAsync(PipeReader from, PipeWriter to)
    {
        try
        {
            while (true)
            {
                var read = await from.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                var (forward, held) = Rewrite(buffer, read.IsCompleted, out var replaced);
                foreach (var segment in forward)
                {
                    to.Write(segment.Span);
                }

                if (replaced is not null)
                {
                    to.Write(replaced);
                }

                var flushed = await to.FlushAsync().ConfigureAwait(false);
                from.AdvanceTo(held, buffer.End);
                if (flushed.IsCompleted || (read.IsCompleted && held.Equals(buffer.End)))
                {
                    break;
                }
            }

            await from.CompleteAsync().ConfigureAwait(false);
            // Kestrel has finished writing (a Connection: close answer included): the client sees the end now, as without the relay.
            await to.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away: Kestrel sees its writes completed and ends the connection.
            await from.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What of <paramref name="buffer"/> to send now, and from where to hold the rest (the start of a possible refusal whose
    /// headers have not all arrived); <paramref name="replaced"/> is a refusal rewritten with its body, sent after the bytes before it.
    /// </summary>
    private static (ReadOnlySequence<byte> Forward, SequencePosition Held) Rewrite(ReadOnlySequence<byte> buffer, bool completed, out byte[]? replaced)
    {
        replaced = null;
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'H', advancePastDelimiter: false))
        {
            var start = reader.Position;
            var candidate = buffer.Slice(start);
            var headers = new SequenceReader<byte>(candidate);
            if (!headers.IsNext(StatusPrefix, advancePast: true))
            {
                if (candidate.Length < StatusPrefix.Length && !completed && StartsLike(candidate, StatusPrefix))
                {
                    return (buffer.Slice(0, start), start);
                }

                reader.Advance(1);
                continue;
            }

            if (!headers.TryReadTo(out ReadOnlySequence<byte> head, HeadersEnd, advancePastDelimiter: true))
            {
                // Kestrel writes a refusal's headers in one piece: wait for the rest unless it cannot be one.
                if (!completed && candidate.Length <= MaxHeld)
                {
                    return (buffer.Slice(0, start), start);
                }

                reader.Advance(1);
                continue;
            }

            if (TryExplain(head, out var rewritten))
            {
                replaced = rewritten;
                return (buffer.Slice(0, start), headers.Position);
            }

            reader.Advance(1);
        }

        return (buffer, buffer.End);
    }

    /// <summary>A bodiless 4xx or 5xx (status line, then Kestrel's own first two headers) rewritten with a problem body.</summary>
    private static bool TryExplain(ReadOnlySequence<byte> head, out byte[]? rewritten)
    {
        rewritten = null;
        var text = Encoding.ASCII.GetString(head.ToArray());
        var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (lineEnd is < 4 or > 64
            || text[0] is not ('4' or '5')
            || !int.TryParse(text.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || !text.AsSpan(lineEnd + 2).StartsWith(Bodiless, StringComparison.Ordinal))
        {
            return false;
        }

        // Kestrel's other headers (Date, Server), each after a CR LF, or nothing.
        var rest = text[(lineEnd + 2 + Bodiless.Length)..];
        if (rest.Length > 0 && !rest.StartsWith("\r\n", StringComparison.Ordinal))
        {
            return false;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["title"] = text[4..lineEnd],
            ["status"] = status,
            ["detail"] = Detail(status),
        });
        rewritten = [.. Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {text[..lineEnd]}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close{rest}\r\n\r\n"), .. body];
        return true;
    }

    private static string Detail(int status) => status switch
    {
        400 => "The request is not valid HTTP/1.1: a malformed request line or header, or a path holding a character no URL may (such as %00, an encoded NUL). Nothing was read.",
        408 => "The request headers did not arrive in time.",
        413 => "The request body is too large.",
        414 => "The request line is too long.",
        431 => "The request headers are too large.",
        _ => "The server refused the request before reading it.",
    };

    private static bool StartsLike(ReadOnlySequence<byte> partial, byte[] prefix) =>
        partial.ToArray().AsSpan().SequenceEqual(prefix.AsSpan(0, (int)partial.Length));

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
