using System.Globalization;
using System.Text.Json;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.EndToEnd.Live;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd;

/// <summary>
/// Counts past <see cref="long.MaxValue"/>, as bpftrace prints a counter that wrapped negative (20 digits), replayed by a
/// real agent into a real server: every way out of the server (host top, fleet top, series, compare, CSV, latest, fleet
/// summary, the hub's events, /metrics) tells the same exact number; once the total passes 2^64 − 1 it tells
/// 18446744073709551615 (saturated) wherever a total is summed, and never a negative or wrapped number.
/// On a SQLite file and on PostgreSQL (the subclasses at the end).
/// </summary>
public abstract class HugeCountTests(ServerProcess server)
{
    private const ulong Half = 5_000_000_000_000_000_000;
    private const ulong Twice = 10_000_000_000_000_000_000;
    private const ulong Past = 9_000_000_000_000_000_000;
    private const ulong Saturated = ulong.MaxValue;
    private const string Header = "  ALLOCS    FREES SLAB\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Replay_AllocsPastLongMaxThenPast64Bits_EveryEndpointExactThenSaturated()
    {
        var (host, other) = ($"huge-{Guid.NewGuid():N}", $"huge-other-{Guid.NewGuid():N}");
        var since = Uri.EscapeDataString(DateTime.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var until = Uri.EscapeDataString(DateTime.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
        await using var listener = await LiveListener.ConnectAsync(server.WebUrl);
        await listener.JoinHostAsync(host);
        await listener.JoinFleetAsync();
        await ReplayAsync(other, Header + "@allocs[x]: 1\n");

        // Two one-second intervals of 5e18: 1e19 in all, past long.MaxValue (9.2e18) and well inside 64 bits unsigned.
        await ReplayAsync(host, Header + $"@allocs[x]: {Half}\n" + Header + $"@allocs[x]: {Half}\n");

        await AssertTotalsAsync(host, other, since, until, Twice);
        Assert.Equal([Half], (await LatestAsync(host)).Rows.Select(r => r.Allocs));
        await LiveListener.WaitUntilAsync(() => SnapshotAllocs(listener, host).Count >= 2, Patience, "two snapshot events");
        Assert.Equal([Half, Half], SnapshotAllocs(listener, host));
        Assert.Contains("\"allocs\":5000000000000000000", listener.Snapshots.First(s => s.Snapshot.Host == host).Json.GetRawText(), StringComparison.Ordinal);
        await AssertPerSecondTotalsAsync(listener, host, Twice);
        Assert.Equal(Twice, await MetricAsync(host, v => v == Twice));

        // A third interval takes the exact total to 1.9e19, past 2^64 − 1: every total saturates, nothing wraps
        // (wrapped, it would be 553255926290448384). One interval is still what it was.
        await ReplayAsync(host, Header + $"@allocs[x]: {Past}\n");

        await AssertTotalsAsync(host, other, since, until, Saturated);
        Assert.Equal([Past], (await LatestAsync(host)).Rows.Select(r => r.Allocs));
        await LiveListener.WaitUntilAsync(() => SnapshotAllocs(listener, host).Count >= 3, Patience, "a third snapshot event");
        Assert.Equal([Half, Half, Past], SnapshotAllocs(listener, host));
        await AssertPerSecondTotalsAsync(listener, host, (UInt128)Twice + Past);
        // Prometheus holds numbers as doubles: the saturated total reads 1.8446744073709552e+19.
        Assert.Equal((double)Saturated, await MetricAsync(host, v => v == Saturated));
    }

    [Fact]
    public async Task OpenApi_ValueFields_UnsignedAndSaturationDescribed()
    {
        using var document = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v1.json").WaitAsync(Patience));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        foreach (var (schema, field) in new[] { ("FleetTopRow", "allocs"), ("FleetTopRow", "faults"), ("SeriesPoint", "frees") })
        {
            var property = schemas.GetProperty(schema).GetProperty("properties").GetProperty(field);
            Assert.Equal("uint64", property.GetProperty("format").GetString());
            Assert.Contains("18446744073709551615", property.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        foreach (var (schema, field) in new[] { ("CompareRow", "allocs"), ("FleetSummaryHost", "faults") })
        {
            var property = schemas.GetProperty(schema).GetProperty("properties").GetProperty(field);
            Assert.Equal("uint64", property.GetProperty("items").GetProperty("format").GetString());
            Assert.Contains("saturated", property.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        var top = document.RootElement.GetProperty("paths").GetProperty("/api/hosts/{name}/top").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(
            ["faults", "allocs"],
            top.GetProperty("oneOf").EnumerateArray().Select(s => s.GetProperty("items").GetProperty("required")[1].GetString()));
    }

    /// <summary>Every endpoint that sums the host's intervals: host top, fleet top, series, compare and their CSV downloads.</summary>
    private async Task AssertTotalsAsync(string host, string other, string since, string until, ulong expected)
    {
        var top = await server.GetAsync<List<KmemCounts>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal([new KmemCounts("x", expected, 0)], top);

        var fleet = await server.GetAsync<List<FleetCounts>>($"/api/fleet/top?probe=kmem&host={host}&from={since}&limit=0");
        Assert.Equal([new FleetCounts("x", expected, 0, 1)], fleet);
        var fleetCsv = await CsvAsync($"/api/fleet/top?probe=kmem&host={host}&from={since}&limit=0&format=csv");
        Assert.Equal(["key,allocs,frees,hosts", $"x,{expected},0,1"], fleetCsv);

        // One bucket (a day) holds the whole range, so the series' one point is the whole total.
        var series = await server.GetAsync<SeriesCounts>($"/api/series?probe=kmem&host={host}&key=x&from={since}&to={until}&step=1d");
        Assert.Equal([expected], Assert.Single(series.Series).Points.Select(p => p.Allocs));
        var allKeys = await server.GetAsync<SeriesCounts>($"/api/series?probe=kmem&host={host}&from={since}&to={until}&step=1d");
        Assert.Equal([expected], Assert.Single(allKeys.Series).Points.Select(p => p.Allocs));
        var seriesCsv = await CsvAsync($"/api/series?probe=kmem&host={host}&key=x&from={since}&to={until}&step=1d&format=csv");
        Assert.Equal(2, seriesCsv.Length);
        Assert.Equal("time,host,key,allocs,frees,allocs_peak,frees_peak,allocs_low,frees_low", seriesCsv[0]);
        Assert.Equal([host, "x", expected.ToString(CultureInfo.InvariantCulture), "0"], seriesCsv[1].Split(',')[1..5]);

        var compare = await server.GetAsync<CompareCounts>($"/api/compare?probe=kmem&host={host}&host={other}&from={since}&limit=0");
        Assert.Equal([host, other], compare.Hosts);
        Assert.Equal([expected, 1UL], Assert.Single(compare.Rows).Allocs);
    }

    /// <summary>
    /// Totals per second, from the fleet summary and from the hub's fleet events: each second's total is exact, and
    /// together they hold every interval (added up here in 128 bits).
    /// </summary>
    private async Task AssertPerSecondTotalsAsync(LiveListener listener, string host, UInt128 expected)
    {
        var summary = await Poll.UntilAsync(() => SummaryAllocsAsync(host), seconds => Sum(seconds) == expected, Patience);
        Assert.Equal(expected, Sum(summary));
        await LiveListener.WaitUntilAsync(() => Sum(FleetAllocs(listener, host)) == expected, Patience, $"fleet events adding up to {expected}");
    }

    private async Task<List<ulong>> SummaryAllocsAsync(string host)
    {
        using var summary = JsonDocument.Parse(await server.Http.GetStringAsync("/api/fleet/summary?window=600").WaitAsync(Patience));
        var entry = summary.RootElement.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == host);
        // GetUInt64 refuses a negative number: reading the list is already the check that nothing wrapped below 0.
        return [.. entry.GetProperty("allocs").EnumerateArray().Select(v => v.GetUInt64())];
    }

    private Task<LatestCounts> LatestAsync(string host) => server.GetAsync<LatestCounts>($"/api/hosts/{host}/latest?probe=kmem");

    /// <summary>The host's x in <c>tracefleet_kmem_allocs_total</c>, once <paramref name="done"/> holds for it (or the last value seen).</summary>
    private async Task<double> MetricAsync(string host, Func<double, bool> done)
    {
        var prefix = $"tracefleet_kmem_allocs_total{{host=\"{host}\",probe=\"kmem\",key=\"x\"}} ";
        async Task<double> ReadAsync()
        {
            var text = await server.Http.GetStringAsync("/metrics").WaitAsync(Patience);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line[prefix.Length..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return await Poll.UntilAsync(ReadAsync, done, Patience);
    }

    private async Task<string[]> CsvAsync(string path)
    {
        using var response = await server.Http.GetAsync(path).WaitAsync(Patience);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static List<ulong> SnapshotAllocs(LiveListener listener, string host) =>
        [.. listener.Snapshots.Where(s => s.Snapshot.Host == host).SelectMany(s => s.Snapshot.Rows).Select(r => r.Allocs ?? 0)];

    private static List<ulong> FleetAllocs(LiveListener listener, string host) =>
        [.. listener.Fleet.SelectMany(f => f.Hosts).Where(h => h.Name == host).Select(h => h.Allocs)];

    private static UInt128 Sum(IEnumerable<ulong> values) => values.Aggregate(UInt128.Zero, (sum, v) => sum + v);

    private async Task ReplayAsync(string host, string capture)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-huge-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, capture);
        try
        {
            var run = await AgentRun.RunAsync(
                ["--server", server.IngestUrl.ToString(), "--host", host, "--os", "linux", "--speed", "0", "--once", "--replay", path], Patience);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The huge-count tests against a server storing into a SQLite file.</summary>
public sealed class SqliteHugeCountTests(ServerFixture fixture) : HugeCountTests(fixture.Server), IClassFixture<ServerFixture>;

/// <summary>The huge-count tests against a server storing into PostgreSQL.</summary>
public sealed class PostgresHugeCountTests(PostgresServerFixture fixture) : HugeCountTests(fixture.Server), IClassFixture<PostgresServerFixture>;

/// <summary>The API's rows as a client that reads counts as unsigned 64-bit sees them.</summary>
public sealed record KmemCounts(string Key, ulong Allocs, ulong Frees);

public sealed record FleetCounts(string Key, ulong Allocs, ulong Frees, int Hosts);

public sealed record SeriesPointCounts(DateTime T, ulong Allocs, ulong Frees);

public sealed record SeriesLineCounts(string Host, string? Key, IReadOnlyList<SeriesPointCounts> Points);

public sealed record SeriesCounts(IReadOnlyList<SeriesLineCounts> Series);

public sealed record CompareRowCounts(string Key, IReadOnlyList<ulong?> Allocs);

public sealed record CompareCounts(IReadOnlyList<string> Hosts, IReadOnlyList<CompareRowCounts> Rows);

public sealed record LatestCounts(long Sequence, IReadOnlyList<KmemCounts> Rows);
