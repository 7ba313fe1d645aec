namespace Tracefleet.Server.History.Queries;

/// <summary>One key's totals over a range, saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>.</summary>
public sealed record KeyTotals(string Key, ulong First, ulong Second);

/// <summary>One key's totals over a range (saturated), with how many of the selected hosts had it.</summary>
public sealed record FleetKeyTotals(string Key, ulong First, ulong Second, int Hosts);

/// <summary>A compared key: each compared host's totals for it, in the order of the hosts, null where a host never had it.</summary>
public sealed record ComparedKey(string Key, IReadOnlyList<(ulong First, ulong Second)?> Values);

/// <summary>A bucket of a series: the sums (saturated) of the snapshots starting in [t, t + step).</summary>
public sealed record SeriesBucket(long HostId, string? Key, long Bucket, ulong First, ulong Second);

/// <summary>A snapshot as stored, with its rows.</summary>
public sealed record StoredSnapshot(long StartUnixMs, int DurationMs, long Sequence, IReadOnlyList<KeyTotals> Rows);
