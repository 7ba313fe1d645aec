using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Kestrel's HTTP/2 limits, set for the ingest listener: the web listener speaks HTTP/1.1 only, so they bind agents'
/// connections alone. Streams per connection come from <c>Limits:MaxStreamsPerConnection</c> (an agent opens one; the
/// next past the limit is refused with REFUSED_STREAM). Pings find connections whose agent vanished without closing them
/// (a host powered off), so their streams end and the host shows offline within a minute instead of at TCP's timeout.
/// </summary>
public static class IngestListener
{
    /// <summary>Idle time on a connection before the server pings the agent.</summary>
    public static readonly TimeSpan PingDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for a ping's answer before it closes the connection.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(30);

    public static void ApplyLimits(KestrelServerOptions kestrel, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(limits);
        kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
        kestrel.Limits.Http2.KeepAlivePingDelay = PingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = PingTimeout;
    }
}
