namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>The public API's shapes, as a client outside the server sees them.</summary>
public sealed record HostDto(string Name, string Os, bool Online, DateTime LastSeen, IReadOnlyList<string> Probes, string Backend);

public sealed record HostDetailDto(string Name, IReadOnlyList<ProbeDetailDto> Probes);

public sealed record ProbeDetailDto(string Name, int KeyBudget, int KeysTracked, long KeysFoldedLastHour, long KeysFolded);

public sealed record PageFaultRowDto(string Key, long Faults);

public sealed record KmemRowDto(string Key, long Allocs, long Frees);

public sealed record ProblemDto(string Title, int Status, string Detail);

public sealed record CompareRowDto(string Key, IReadOnlyList<long?> Allocs);

public sealed record CompareDto(IReadOnlyList<string> Hosts, IReadOnlyList<CompareRowDto> Rows);

public sealed record SeriesPointDto(DateTime T, long Allocs, long Frees);

public sealed record SeriesLineDto(string Host, IReadOnlyList<SeriesPointDto> Points);

public sealed record SeriesDto(IReadOnlyList<SeriesLineDto> Series);

public sealed record LatestDto(long Sequence, IReadOnlyList<KmemRowDto> Rows);
