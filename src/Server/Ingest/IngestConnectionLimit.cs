using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// At most <c>Limits:MaxIngestConnections</c> connections open at once on the ingest listener, counted before TLS: past it
/// a new connection is closed at once, before its handshake or first frame (the agent reconnects with backoff). Kestrel's
/// own connection limit is server-wide; this one leaves the web listener alone.
/// </summary>
public sealed class IngestConnectionLimit(IOptions<LimitsOptions> limits)
{
    private readonly int _max = limits.Value.MaxIngestConnections;
    private int _open;
    private long _refused;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections closed at once because the limit was reached, since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The connection middleware for the ingest listener (<c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > _max)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _refused);
            // Returning without reading closes the connection.
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
