using System.Text.Json.Serialization;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Api;

/// <summary>
/// "What changed": keys of <c>hosts</c> (empty: the whole fleet) over [from, to) against the same window shifted back by
/// <c>againstMs</c> ([thenFrom, thenTo)), ranked by how far <c>column</c> moved (a value column, or the probe's net).
/// </summary>
public sealed record ChangesResponse(
    string Probe, string Column, DateTime From, DateTime To, DateTime ThenFrom, DateTime ThenTo, long AgainstMs,
    IReadOnlyList<string> Hosts, IReadOnlyList<KeyChangeRow> Rows);

/// <summary>
/// A key over two windows: one list per value column of the probe, named by the column, each <c>[now, then]</c>, and
/// <c>change</c>, now − then of the ranked measure (exact: counts differ by less than 2^64 either way).
/// </summary>
/// <param name="Values">Per column, in the probe's column order: [now, then], null where the key had nothing in that window.</param>
[JsonConverter(typeof(KeyChangeRowJson))]
public sealed record KeyChangeRow(string Key, decimal Change, Named<IReadOnlyList<ulong?>> Values)
{
    /// <summary>The row of <paramref name="probe"/> for one key, from its totals now and then (column order; null: none in that window).</summary>
    public static KeyChangeRow Of(ProbeDefinition probe, string key, decimal change, IReadOnlyList<ulong>? now, IReadOnlyList<ulong>? then)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new(key, change, new(probe.Columns.Select(column => KeyValuePair.Create(
            column.Name, (IReadOnlyList<ulong?>)[now is null ? null : probe.ValueOf(now, column), then is null ? null : probe.ValueOf(then, column)]))));
    }

    /// <summary>The key's value of <paramref name="column"/> now; null when it had none then or the probe has no such column.</summary>
    public ulong? NowOf(ValueColumn column) => At(column, 0);

    /// <summary>The key's value of <paramref name="column"/> in the earlier window; null when it had none then or the probe has no such column.</summary>
    public ulong? ThenOf(ValueColumn column) => At(column, 1);

    private ulong? At(ValueColumn column, int side)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Values.TryGet(column.Name, out var both) && side < both.Count ? both[side] : null;
    }
}
