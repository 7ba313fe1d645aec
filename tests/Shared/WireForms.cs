using Tracefleet.Contract.V1;

namespace Tracefleet.TestSupport;

/// <summary>A snapshot's table in either wire form: the columnar one agents send now, the row form of older agents.</summary>
public static class WireForms
{
    /// <summary>A copy of <paramref name="snapshot"/> (columnar) in the row form when <paramref name="rowForm"/>, else as it is.</summary>
    public static Snapshot As(Snapshot snapshot, bool rowForm)
    {
        if (!rowForm)
        {
            return snapshot;
        }

        var rows = snapshot.Clone();
        rows.Keys.Clear();
        rows.Values.Clear();
        foreach (var (key, values) in Table(snapshot))
        {
            rows.Rows.Add(new Row { Key = key, Values = { values } });
        }

        return rows;
    }

    /// <summary>The table's rows, in order, whichever form it is in.</summary>
    public static List<(string Key, ulong[] Values)> Table(Snapshot snapshot)
    {
        if (snapshot.Rows.Count > 0)
        {
            return [.. snapshot.Rows.Select(r => (r.Key, r.Values.ToArray()))];
        }

        var width = snapshot.Keys.Count == 0 ? 0 : snapshot.Values.Count / snapshot.Keys.Count;
        return [.. snapshot.Keys.Select((key, i) => (key, snapshot.Values.Skip(i * width).Take(width).ToArray()))];
    }

    /// <summary>The table by key, whichever form it is in (keys must be unique).</summary>
    public static Dictionary<string, ulong[]> ByKey(Snapshot snapshot) => Table(snapshot).ToDictionary(r => r.Key, r => r.Values, StringComparer.Ordinal);
}
