using System.Globalization;

namespace Tracefleet.EndToEnd.Live;

/// <summary>Median and p99 of latency samples (nearest-rank), and how to print them.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> samples, double percentile)
    {
        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Describe(string what, IReadOnlyList<double> samples) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: {samples.Count} snapshots, median {Of(samples, 50):F1} ms, p99 {Of(samples, 99):F1} ms, max {samples.Max():F1} ms");

    /// <summary>Every sample as CSV (accepted, committed, arrived), for a closer look at the tail.</summary>
    public static void RecordSamples(string name, IEnumerable<(DateTime Accepted, DateTime Committed, DateTime Arrived)> samples)
    {
        var folder = Path.Combine(Infrastructure.RepoPaths.Root, "TestResults");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, $"live-latency-{name}.csv"),
            ["accepted,committed,arrived", .. samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Accepted:O},{s.Committed:O},{s.Arrived:O}"))]);
    }

    /// <summary>Appends a line to TestResults/live-latency.txt at the repository root, which docs/PERFORMANCE.md quotes.</summary>
    public static void Record(string line)
    {
        var folder = Path.Combine(Infrastructure.RepoPaths.Root, "TestResults");
        Directory.CreateDirectory(folder);
        File.AppendAllText(Path.Combine(folder, "live-latency.txt"), $"{DateTime.UtcNow:O} {line}\n");
    }
}
