using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>One key's totals over a range, in its probe's column order, saturated at <see cref="Tracefleet.Contract.Counts.Saturated"/>.</summary>
public sealed record KeyTotals(string Key, RowValues Values);

/// <summary>One key's totals over a range (saturated, in column order), with how many of the selected hosts had it.</summary>
public sealed record FleetKeyTotals(string Key, RowValues Values, int Hosts);

/// <summary>A compared key: each compared host's totals for it (in column order), in the order of the hosts, null where a host never had it.</summary>
public sealed record ComparedKey(string Key, IReadOnlyList<RowValues?> Values);

/// <summary>
/// A bucket of a series: the sums (saturated, in column order) of the snapshots starting in [t, t + step), and the greatest
/// (<paramref name="Peaks"/>) and least (<paramref name="Lows"/>) value a single one of those snapshots had, a snapshot
/// without the key counting 0 for the low. For a host's total over all keys, each snapshot's own total counts. Null when
/// not known: a total's peak, and any low, over a rollup bucket written before rollups kept snapshot totals.
/// </summary>
public sealed record SeriesBucket(long HostId, string? Key, long Bucket, RowValues Values, RowValues? Peaks = null, RowValues? Lows = null);

/// <summary>A snapshot as stored, with its rows.</summary>
public sealed record StoredSnapshot(long StartUnixMs, int DurationMs, long Sequence, IReadOnlyList<KeyTotals> Rows);
