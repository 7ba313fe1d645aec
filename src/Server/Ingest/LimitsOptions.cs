using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.Ingest;

/// <summary>Configuration section <c>Limits</c>: what one agent may send. Each is documented in docs/OPERATIONS.md.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Keys per snapshot; the rest are summed into "(other)" (the agent does the same).</summary>
    [Range(1, 1_000_000)]
    public int MaxKeysPerSnapshot { get; set; } = 1000;

    /// <summary>Characters per key; a longer key is cut, ending with "[…]" (see KeyRule); at least 16, so a cut key still says something.</summary>
    [Range(16, 65_536)]
    public int MaxKeyLength { get; set; } = 4096;

    /// <summary>Bytes per gRPC message; a larger one is refused by gRPC itself (RESOURCE_EXHAUSTED).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Distinct keys per host and probe stored under their own names: the busiest of late. Past it a new key takes the least
    /// busy one's place if it is busier, and is summed into "(other)" otherwise. Memory: about 64 bytes per key, per host and probe.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxKeysPerHost { get; set; } = 20_000;

    /// <summary>Seconds a key may go unseen before it leaves its host's key budget (making room for new keys).</summary>
    [Range(1, 30 * 86_400)]
    public int KeyIdleSeconds { get; set; } = 3600;

    /// <summary>Snapshots per second per agent stream; faster senders are paced (the stream waits), never dropped.</summary>
    [Range(1, 1_000_000)]
    public int MaxSnapshotsPerSecond { get; set; } = 500;

    /// <summary>How far ahead of the server's clock a snapshot may start; further is refused (INVALID_ARGUMENT: fix the clock).</summary>
    [Range(1, 86_400)]
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>
    /// An agent's clock further from the server's than this (measured from its snapshots' ends against their arrival) is
    /// warned about in the log, and shown on the Host page, /api/hosts/{name} and /metrics.
    /// </summary>
    [Range(1, 86_400)]
    public int ClockOffsetWarningSeconds { get; set; } = 5;

    /// <summary>How old a snapshot may be (a spooled backlog is at most a day old by default); older ones are rejected in the ack.</summary>
    [Range(60, 10 * 365 * 86_400)]
    public int MaxSnapshotAgeSeconds { get; set; } = 26 * 3600;

    /// <summary>Snapshot bytes accepted and not yet written, over all agents; when reached, streams wait.</summary>
    [Range(1, 16_384)]
    public int MaxInFlightMb { get; set; } = 64;

    /// <summary>
    /// Bytes the first message of a stream may announce: the Hello, a few hundred bytes. A larger one is refused
    /// (RESOURCE_EXHAUSTED) from its 5-byte prefix, before its body is buffered; later messages keep <see cref="MaxMessageBytes"/>.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxHelloBytes { get; set; } = 64 * 1024;

    /// <summary>Seconds a new stream has to deliver its whole Hello; past it the stream ends (DEADLINE_EXCEEDED).</summary>
    [Range(1, 600)]
    public int HelloTimeoutSeconds { get; set; } = 10;

    /// <summary>Connections open at once on the ingest listener (agents keep one each); past it a new connection is closed at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxIngestConnections { get; set; } = 10_000;

    /// <summary>HTTP/2 streams open at once per ingest connection (an agent uses one); the next is refused (REFUSED_STREAM).</summary>
    [Range(1, 1000)]
    public int MaxStreamsPerConnection { get; set; } = 8;

    /// <summary>Probe statuses kept per probe and second on one stream; a faster agent's latest status is kept once the pace allows, the ones between are dropped.</summary>
    [Range(1, 1000)]
    public int MaxProbeStatusesPerSecond { get; set; } = 5;

    /// <summary>Seconds a host may be offline before the server forgets its probes' statuses and clock offset (its history stays).</summary>
    [Range(1, 365 * 86_400)]
    public int OfflineHostStateSeconds { get; set; } = 86_400;
}
