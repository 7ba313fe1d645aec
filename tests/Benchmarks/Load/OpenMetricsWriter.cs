using System.Globalization;
using System.Text;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// The run's samples as OpenMetrics text for <c>promtool tsdb create-blocks-from openmetrics</c>: one counter family,
/// a series per host, probe, key and column, each series' points together and in time order (a running sum of the
/// per-second values the generator sent). Written after the measured window by replaying each key set from its seed,
/// so writing it never competes with the server for the machine.
/// </summary>
internal static class OpenMetricsWriter
{
    /// <summary>
    /// Writes the file; returns the rows written (a key's values for one second, what the server's samples count)
    /// and the points (one per column: a kmem row is two).
    /// </summary>
    public static (long Rows, long Points) Write(string path, IEnumerable<(string Host, string Probe, string[] Columns, KeySet Sent, Func<KeySet> Replay)> sets)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine("# TYPE tracefleet_count counter");
        writer.WriteLine("# HELP tracefleet_count Per-second counts the load generator sent, summed over time.");
        long rows = 0, points = 0;
        foreach (var (host, probe, columns, sent, replay) in sets)
        {
            var keys = replay();
            var series = new Dictionary<(string Key, int Column), (ulong Sum, List<(long At, ulong Sum)> Points)>();
            foreach (var start in sent.Starts)
            {
                keys.Next(start);
                rows += keys.Keys.Count;
                for (var i = 0; i < keys.Keys.Count; i++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        var id = (keys.Keys[i], c);
                        var (sum, list) = series.TryGetValue(id, out var s) ? s : (0UL, new List<(long, ulong)>());
                        sum += c == 0 ? keys.First[i] : keys.Second[i];
                        list.Add((start, sum));
                        series[id] = (sum, list);
                    }
                }
            }

            foreach (var ((key, column), (_, list)) in series)
            {
                var labels = $"{{host=\"{Escape(host)}\",probe=\"{probe}\",key=\"{Escape(key)}\",column=\"{columns[column]}\"}}";
                foreach (var (at, sum) in list)
                {
                    writer.Write("tracefleet_count_total");
                    writer.Write(labels);
                    writer.Write(' ');
                    writer.Write(sum.ToString(CultureInfo.InvariantCulture));
                    writer.Write(' ');
                    writer.WriteLine((at / 1000).ToString(CultureInfo.InvariantCulture));
                    points++;
                }
            }
        }

        writer.WriteLine("# EOF");
        return (rows, points);
    }

    /// <summary>OpenMetrics label value escaping: backslash, double quote and line feed.</summary>
    public static string Escape(string value) =>
        value.IndexOfAny(['\\', '"', '\n']) < 0 ? value : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
