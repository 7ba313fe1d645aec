using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.Live;

/// <summary>Configuration section <c>Live</c>: the SignalR feed at <c>/hubs/live</c>.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>Committed snapshots waiting for the broadcaster; when full the oldest is dropped, never the writer slowed.</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Snapshots of one host and probe sent in one flush, at most; a flood (a replay at full speed) keeps only the newest.</summary>
    [Range(1, 100_000)]
    public int MaxSnapshotsPerHostPerFlush { get; set; } = 256;

    /// <summary>How often the <c>fleet</c> summary goes out.</summary>
    [Range(100, 60_000)]
    public int FleetIntervalMs { get; set; } = 1000;

    /// <summary>A host counts as reporting while its last snapshot was stored at most this long ago.</summary>
    [Range(100, 3_600_000)]
    public int ReportingWindowMs { get; set; } = 3000;

    /// <summary>
    /// A client whose socket accepts nothing for this long is disconnected (SignalR's transport send timeout).
    /// Until then only its own queue waits (<see cref="ConnectionQueueCapacity"/>); other clients and ingest never do.
    /// </summary>
    [Range(1000, 3_600_000)]
    public int SendTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// Messages (<c>snapshot</c> and <c>fleet</c> events) waiting for one hub connection, at most; when it is full the
    /// oldest is dropped, so a client that reads slowly misses messages instead of holding memory or anyone else up.
    /// As many as one flush sends of a host and probe (<see cref="MaxSnapshotsPerHostPerFlush"/>), so a client that keeps up
    /// receives a burst (a store that paused, an agent resending its backlog) whole. The messages are shared with every
    /// connection they go to: many connections watching one host hold one host's messages.
    /// </summary>
    [Range(4, 100_000)]
    public int ConnectionQueueCapacity { get; set; } = 256;

    /// <summary>Hosts one hub connection may have joined at once (<c>JoinHost</c>); the UI joins one at a time.</summary>
    [Range(1, 100_000)]
    public int MaxHostsPerConnection { get; set; } = 64;

    /// <summary>
    /// Origins of web pages, besides the server's own, that may open the hub: <c>;</c>-separated, each
    /// <c>scheme://host[:port]</c>, e.g. <c>https://grafana.example.com</c>. Clients that send no <c>Origin</c> (not browsers) are always let in.
    /// </summary>
    public string? AllowedOrigins { get; set; }

    /// <summary>
    /// <c>host:port</c> (or any StackExchange.Redis configuration string) of a Redis server that several servers share:
    /// each publishes the snapshots it stores there and pushes the others' to its own hub clients.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>How often the list of known hosts is re-read from the store for the fleet summary.</summary>
    [Range(100, 3_600_000)]
    public int HostListRefreshMs { get; set; } = 5000;
}
