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
    /// Until then, sends to its groups wait for it; ingest never does.
    /// </summary>
    [Range(1000, 3_600_000)]
    public int SendTimeoutMs { get; set; } = 10_000;

    /// <summary><c>host:port</c> of a Redis server: SignalR then uses it as a backplane shared by several servers.</summary>
    public string? Redis { get; set; }

    /// <summary>How often the list of known hosts is re-read from the store for the fleet summary.</summary>
    [Range(100, 3_600_000)]
    public int HostListRefreshMs { get; set; } = 5000;
}
