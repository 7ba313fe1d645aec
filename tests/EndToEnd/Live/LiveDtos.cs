namespace Tracefleet.EndToEnd.Live;

/// <summary>The hub's events as an outside .NET client reads them (its own types, not the server's).</summary>
public sealed record LiveRowDto(string Key, ulong? Faults, ulong? Allocs, ulong? Frees);

public sealed record LiveSnapshotDto(
    string Host, string Probe, ulong Sequence, DateTime Start, int DurationMs, DateTime ReceivedAt, DateTime StoredAt, IReadOnlyList<LiveRowDto> Rows);

public sealed record FleetHostDto(string Name, bool Online, bool Reporting, DateTime? LastSnapshot, ulong Faults, ulong Allocs, ulong Frees, string? TopFile, string? TopCache);

public sealed record FleetSecondDto(DateTime At, int IntervalMs, int Reporting, int Known, IReadOnlyList<FleetHostDto> Hosts);
