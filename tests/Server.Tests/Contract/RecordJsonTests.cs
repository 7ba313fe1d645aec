using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tracefleet.Contract.Api;
using Tracefleet.Contract.Json;
using Tracefleet.Contract.Probes;
using Tracefleet.Server.Live;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>
/// The JSON of the HTTP API's and the hub's records, exactly as the server writes it (its own HTTP and hub settings) and
/// as the UI reads it back (the HTTP client's and the SignalR client's defaults): one property per value column of the
/// row's probe, named by the column, and one per probe's busiest key in the fleet summaries.
/// </summary>
public sealed class RecordJsonTests
{
    private static readonly DateTime At = new(2026, 11, 26, 6, 0, 1, 250, DateTimeKind.Utc);

    /// <summary>What the server's minimal APIs write with: ASP.NET Core's HTTP JSON options, which the server leaves as they come.</summary>
    private static readonly JsonSerializerOptions HttpWrite = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;

    /// <summary>What the UI's HTTP client reads with (ReadFromJsonAsync).</summary>
    private static readonly JsonSerializerOptions HttpRead = JsonSerializerOptions.Web;

    /// <summary>The hub's payload options as the server sets them up.</summary>
    private static readonly JsonSerializerOptions HubWrite = ServerHubOptions();

    /// <summary>What the UI's SignalR client reads with.</summary>
    private static readonly JsonSerializerOptions HubRead = new JsonHubProtocolOptions().PayloadSerializerOptions;

    [Fact]
    public void TopRow_PageFaults_KeyAndFaults()
    {
        var row = TopRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [12]);

        var read = RoundTrip(row, HttpWrite, HttpRead, """{"key":"libc.so.6","faults":12}""");

        Assert.Equal("libc.so.6", read.Key);
        Assert.Equal([12UL], read.ValuesOf(ProbeCatalogue.PageFaults));
    }

    [Fact]
    public void TopRow_Kmem_KeyAllocsAndFrees()
    {
        var row = TopRow.Of(ProbeCatalogue.Kmem, "dentry", [3, 1]);

        var read = RoundTrip(row, HttpWrite, HttpRead, """{"key":"dentry","allocs":3,"frees":1}""");

        Assert.Equal("dentry", read.Key);
        Assert.Equal([3UL, 1UL], read.ValuesOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void FleetTopRow_PageFaults_HostsAfterTheValues()
    {
        var row = FleetTopRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [ulong.MaxValue], 2);

        var read = RoundTrip(row, HttpWrite, HttpRead, """{"key":"libc.so.6","faults":18446744073709551615,"hosts":2}""");

        Assert.Equal(("libc.so.6", 2), (read.Key, read.Hosts));
        Assert.Equal([ulong.MaxValue], read.ValuesOf(ProbeCatalogue.PageFaults));
    }

    [Fact]
    public void FleetTopRow_Kmem_AllocsFreesThenHosts()
    {
        var row = FleetTopRow.Of(ProbeCatalogue.Kmem, "dentry", [10_000_000_000_000_000_000, 0], 1);

        var read = RoundTrip(row, HttpWrite, HttpRead, """{"key":"dentry","allocs":10000000000000000000,"frees":0,"hosts":1}""");

        Assert.Equal(("dentry", 1), (read.Key, read.Hosts));
        Assert.Equal([10_000_000_000_000_000_000UL, 0UL], read.ValuesOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void LatestSnapshot_KmemRows_RowsAsFleetTopRows()
    {
        var latest = new LatestSnapshot("web-01", "kmem", At, 1000, 7, [FleetTopRow.Of(ProbeCatalogue.Kmem, "dentry", [3, 1], 1)]);

        var read = RoundTrip(
            latest, HttpWrite, HttpRead,
            """{"host":"web-01","probe":"kmem","start":"2026-11-26T06:00:01.25Z","durationMs":1000,"sequence":7,"rows":[{"key":"dentry","allocs":3,"frees":1,"hosts":1}]}""");

        Assert.Equal([3UL, 1UL], Assert.Single(read.Rows).ValuesOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void LatestSnapshot_None_StartNullRowsEmpty()
    {
        var latest = new LatestSnapshot("web-01", "pagefaults", null, 0, 0, []);

        var read = RoundTrip(latest, HttpWrite, HttpRead, """{"host":"web-01","probe":"pagefaults","start":null,"durationMs":0,"sequence":0,"rows":[]}""");

        Assert.Null(read.Start);
    }

    [Fact]
    public void SeriesPoint_PageFaults_TimeAndFaults()
    {
        var point = SeriesPoint.Of(ProbeCatalogue.PageFaults, At, [12]);

        var read = RoundTrip(point, HttpWrite, HttpRead, """{"t":"2026-11-26T06:00:01.25Z","faults":12}""");

        Assert.Equal((At, 12UL, null), (read.T, read.ValueOf(ProbeCatalogue.Faults), read.ValueOf(ProbeCatalogue.Allocs)));
    }

    [Fact]
    public void SeriesPoint_PeaksAndLows_ObjectsOfCountsByColumn()
    {
        var point = SeriesPoint.Of(ProbeCatalogue.Kmem, At, [30, 4], [12, ulong.MaxValue], [0, 1]);

        var read = RoundTrip(point, HttpWrite, HttpRead, """{"t":"2026-11-26T06:00:01.25Z","allocs":30,"frees":4,"peaks":{"allocs":12,"frees":18446744073709551615},"lows":{"allocs":0,"frees":1}}""");

        Assert.Equal((12UL, ulong.MaxValue, 0UL, 1UL, 30UL), (read.PeakOf(ProbeCatalogue.Allocs), read.PeakOf(ProbeCatalogue.Frees), read.LowOf(ProbeCatalogue.Allocs), read.LowOf(ProbeCatalogue.Frees), read.ValueOf(ProbeCatalogue.Allocs)));
    }

    [Fact]
    public void SeriesPoint_PeakKnownLowNot_LowsLeftOutAndReadAsNull()
    {
        var point = SeriesPoint.Of(ProbeCatalogue.PageFaults, At, [30], [12], null);

        var read = RoundTrip(point, HttpWrite, HttpRead, """{"t":"2026-11-26T06:00:01.25Z","faults":30,"peaks":{"faults":12}}""");

        Assert.Equal((12UL, (ulong?)null), (read.PeakOf(ProbeCatalogue.Faults), read.LowOf(ProbeCatalogue.Faults)));
    }

    [Fact]
    public void SeriesResponse_Kmem_PointsCarryAllocsAndFrees()
    {
        var series = new SeriesResponse("kmem", At, At.AddHours(1), 60_000, [new Series("web-01", null, [SeriesPoint.Of(ProbeCatalogue.Kmem, At, [3, 1])])]);

        var read = RoundTrip(
            series, HttpWrite, HttpRead,
            """{"probe":"kmem","from":"2026-11-26T06:00:01.25Z","to":"2026-11-26T07:00:01.25Z","stepMs":60000,"series":[{"host":"web-01","key":null,"points":[{"t":"2026-11-26T06:00:01.25Z","allocs":3,"frees":1}]}]}""");

        var point = Assert.Single(Assert.Single(read.Series).Points);
        Assert.Equal((3UL, 1UL, null), (point.ValueOf(ProbeCatalogue.Allocs), point.ValueOf(ProbeCatalogue.Frees), point.ValueOf(ProbeCatalogue.Faults)));
    }

    [Fact]
    public void CompareRow_PageFaults_OneFaultsListNullWhereAbsent()
    {
        var row = CompareRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [[12], null]);

        var read = RoundTrip(row, HttpWrite, HttpRead, """{"key":"libc.so.6","faults":[12,null]}""");

        Assert.Equal((12UL, null, null), (read.ValueOf(ProbeCatalogue.Faults, 0), read.ValueOf(ProbeCatalogue.Faults, 1), read.ValueOf(ProbeCatalogue.Allocs, 0)));
    }

    [Fact]
    public void CompareResponse_Kmem_AllocsAndFreesLists()
    {
        var compare = new CompareResponse("kmem", At, null, ["a", "b"], [CompareRow.Of(ProbeCatalogue.Kmem, "dentry", [null, [3, 1]])]);

        var read = RoundTrip(
            compare, HttpWrite, HttpRead,
            """{"probe":"kmem","from":"2026-11-26T06:00:01.25Z","to":null,"hosts":["a","b"],"rows":[{"key":"dentry","allocs":[null,3],"frees":[null,1]}]}""");

        var row = Assert.Single(read.Rows);
        Assert.Equal((null, 3UL, 1UL), (row.ValueOf(ProbeCatalogue.Allocs, 0), row.ValueOf(ProbeCatalogue.Allocs, 1), row.ValueOf(ProbeCatalogue.Frees, 1)));
    }

    [Fact]
    public void FleetSummaryHost_EveryColumnAndTopKey_NullTopKeyWritten()
    {
        var host = FleetSummaryHost.Of(
            "web-01", "linux", "bpftrace", true, false, At, ["pagefaults"], c => [Ordinal(c) + 1, ulong.MaxValue],
            p => p == ProbeCatalogue.PageFaults ? "???" : null, p => p == ProbeCatalogue.PageFaults ? "libc.so.6" : null);
        var summary = new FleetSummary(At, 2, 0, 1, [host]);

        var read = RoundTrip(
            summary, HttpWrite, HttpRead,
            """{"at":"2026-11-26T06:00:01.25Z","windowSeconds":2,"reporting":0,"known":1,"hosts":[{"name":"web-01","os":"linux","backend":"bpftrace","online":true,"reporting":false,"lastSeen":"2026-11-26T06:00:01.25Z","probes":["pagefaults"],"faults":[1,18446744073709551615],"allocs":[2,18446744073709551615],"frees":[3,18446744073709551615],"topFile":"???","topFileNamed":"libc.so.6","topCache":null,"topCacheNamed":null}]}""");

        var back = Assert.Single(read.Hosts);
        Assert.Equal([2UL, ulong.MaxValue], back.PerSecondOf(ProbeCatalogue.Allocs));
        Assert.Equal(("???", "libc.so.6", null), (back.TopKeyOf(ProbeCatalogue.PageFaults), back.TopNamedKeyOf(ProbeCatalogue.PageFaults), back.TopKeyOf(ProbeCatalogue.Kmem)));
        Assert.Equal((true, false), (back.Runs(ProbeCatalogue.PageFaults), back.Runs(ProbeCatalogue.Kmem)));
    }

    [Fact]
    public void LiveSnapshot_PageFaults_RowsCarryFaultsOnly()
    {
        var snapshot = new LiveSnapshot("web-01", "pagefaults", 7, At, 1000, At, At, [LiveRow.Of(ProbeCatalogue.PageFaults, "libc.so.6", [12])]);

        var read = RoundTrip(
            snapshot, HubWrite, HubRead,
            """{"host":"web-01","probe":"pagefaults","sequence":7,"start":"2026-11-26T06:00:01.25Z","durationMs":1000,"receivedAt":"2026-11-26T06:00:01.25Z","storedAt":"2026-11-26T06:00:01.25Z","rows":[{"key":"libc.so.6","faults":12}]}""");

        var row = Assert.Single(read.Rows);
        Assert.Equal((12UL, null), (row.ValueOf(ProbeCatalogue.Faults), row.ValueOf(ProbeCatalogue.Frees)));
    }

    [Fact]
    public void LiveRow_Kmem_AllocsAndFrees()
    {
        var row = LiveRow.Of(ProbeCatalogue.Kmem, "kmalloc-64", [ulong.MaxValue, 1]);

        var read = RoundTrip(row, HubWrite, HubRead, """{"key":"kmalloc-64","allocs":18446744073709551615,"frees":1}""");

        Assert.Equal([ulong.MaxValue, 1UL], read.ValuesOf(ProbeCatalogue.Kmem));
    }

    [Fact]
    public void FleetHost_EveryColumnAndTopKey_TotalsAndBusiestKeys()
    {
        var host = FleetHost.Of("web-01", true, true, At, c => Ordinal(c) + 10, p => p.Key.Noun + "-top", p => p.Key.Noun + "-named");
        var second = new FleetSecond(At, 1000, 1, 1, [host]);

        var read = RoundTrip(
            second, HubWrite, HubRead,
            """{"at":"2026-11-26T06:00:01.25Z","intervalMs":1000,"reporting":1,"known":1,"hosts":[{"name":"web-01","online":true,"reporting":true,"lastSnapshot":"2026-11-26T06:00:01.25Z","faults":10,"allocs":11,"frees":12,"topFile":"file-top","topFileNamed":"file-named","topCache":"cache-top","topCacheNamed":"cache-named"}]}""");

        var back = Assert.Single(read.Hosts);
        Assert.Equal((11UL, "cache-top", "file-named"), (back.TotalOf(ProbeCatalogue.Allocs), back.TopKeyOf(ProbeCatalogue.Kmem), back.TopNamedKeyOf(ProbeCatalogue.PageFaults)));
    }

    [Fact]
    public void FleetHost_NeverReported_NullsLeftOut()
    {
        var host = FleetHost.Of("web-02", false, false, null, _ => 0, _ => null, _ => null);

        var read = RoundTrip(host, HubWrite, HubRead, """{"name":"web-02","online":false,"reporting":false,"faults":0,"allocs":0,"frees":0}""");

        Assert.Equal((null, null, 0UL), (read.LastSnapshot, read.TopKeyOf(ProbeCatalogue.PageFaults), read.TotalOf(ProbeCatalogue.Faults)));
    }

    [Fact]
    public void EveryRow_ProbeOfThreeColumns_EachColumnByItsNameInColumnOrder()
    {
        var disk = new ProbeDefinition(
            "diskio", "reads, writes and errors by device", new("block device", "device", "DEVICE", "DEVICE"),
            [new("reads", "reads", "Reads"), new("writes", "writes", "Writes"), new("errors", "errors", "Errors")]);
        ulong[] values = [5, ulong.MaxValue, 0];

        var top = RoundTrip(TopRow.Of(disk, "sda", values), HttpWrite, HttpRead, """{"key":"sda","reads":5,"writes":18446744073709551615,"errors":0}""");
        var fleet = RoundTrip(FleetTopRow.Of(disk, "sda", values, 3), HttpWrite, HttpRead, """{"key":"sda","reads":5,"writes":18446744073709551615,"errors":0,"hosts":3}""");
        var point = RoundTrip(SeriesPoint.Of(disk, At, values), HttpWrite, HttpRead, """{"t":"2026-11-26T06:00:01.25Z","reads":5,"writes":18446744073709551615,"errors":0}""");
        var compared = RoundTrip(CompareRow.Of(disk, "sda", [values, null]), HttpWrite, HttpRead, """{"key":"sda","reads":[5,null],"writes":[18446744073709551615,null],"errors":[0,null]}""");
        var changed = RoundTrip(KeyChangeRow.Of(disk, "sda", -5, null, values), HttpWrite, HttpRead, """{"key":"sda","change":-5,"reads":[null,5],"writes":[null,18446744073709551615],"errors":[null,0]}""");
        var live = RoundTrip(LiveRow.Of(disk, "sda", values), HubWrite, HubRead, """{"key":"sda","reads":5,"writes":18446744073709551615,"errors":0}""");

        Assert.Equal(values, top.ValuesOf(disk));
        Assert.Equal(values, fleet.ValuesOf(disk));
        Assert.Equal(values, live.ValuesOf(disk));
        Assert.Equal(values, disk.Columns.Select(c => point.ValueOf(c) ?? 1));
        Assert.Equal(values, disk.Columns.Select(c => compared.ValueOf(c, 0) ?? 1));
        Assert.Equal(values, disk.Columns.Select(c => changed.ThenOf(c) ?? 1));
        Assert.All(disk.Columns, c => Assert.Null(changed.NowOf(c)));
        Assert.Equal("topDiskio", disk.TopField);
    }

    [Fact]
    public void Catalogue_ColumnsAndTopFields_NeverOneOfARecordsOwnProperties()
    {
        IColumnRecordJson[] converters = [new TopRowJson(), new FleetTopRowJson(), new SeriesPointJson(), new CompareRowJson(), new KeyChangeRowJson(), new LiveRowJson(), new FleetHostJson(), new FleetSummaryHostJson()];
        var generated = ProbeCatalogue.AllColumns.Distinct().Select(c => c.Name)
            .Concat(ProbeCatalogue.All.SelectMany(p => new[] { p.TopField, p.TopNamedField })).ToList();

        Assert.Equal(generated.Count, generated.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(converters, converter => Assert.DoesNotContain(converter.Fixed, f => generated.Contains(f.Key, StringComparer.OrdinalIgnoreCase)));
        // A learnt probe may name its columns freely, except these: so no record's own property can be one.
        Assert.All(converters.SelectMany(c => c.Fixed), f => Assert.Contains(f.Key, ProbeDefinitionRules.ReservedColumnNames));
        Assert.All(converters.OfType<IColumnObjectsJson>().SelectMany(c => c.ColumnObjects), o => Assert.Contains(o.Key, ProbeDefinitionRules.ReservedColumnNames));
        Assert.NotEmpty(converters.OfType<IColumnObjectsJson>());
    }

    [Fact]
    public void Read_PropertiesOfNoKnownShape_SkippedAndTheRowStillRead()
    {
        var row = JsonSerializer.Deserialize<FleetTopRow>("""{"note":"x","key":"dentry","allocs":3,"extra":{"a":[1]},"flags":[true],"hosts":2}""", HttpRead)!;

        Assert.Equal(("dentry", 3UL, 2), (row.Key, row.ValueOf(ProbeCatalogue.Allocs), row.Hosts));
        Assert.Equal("""{"key":"dentry","allocs":3,"hosts":2}""", JsonSerializer.Serialize(row, HttpWrite));
    }

    [Theory]
    [InlineData("""{"key":"dentry","allocs":-1}""")]
    [InlineData("""{"key":"dentry","allocs":1.5}""")]
    [InlineData("""{"allocs":1}""")]
    [InlineData("""["dentry",1]""")]
    public void Read_NegativeFractionalOrKeyless_JsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<TopRow>(json, HttpRead));

    [Fact]
    public void Read_CompareListWithText_JsonException() =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<CompareRow>("""{"key":"x","faults":[1,"2"]}""", HttpRead));

    /// <summary>Writes <paramref name="value"/> as the server does, checks the text, reads it as the UI does and checks it writes back the same.</summary>
    private static T RoundTrip<T>(T value, JsonSerializerOptions write, JsonSerializerOptions read, string expected)
    {
        Assert.Equal(expected, JsonSerializer.Serialize(value, write));
        var back = JsonSerializer.Deserialize<T>(expected, read);
        Assert.NotNull(back);
        Assert.Equal(expected, JsonSerializer.Serialize(back, write));
        return back;
    }

    private static JsonSerializerOptions ServerHubOptions()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddLive();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions;
    }

    /// <summary>A value of its own for each column: its position among every known column.</summary>
    private static ulong Ordinal(ValueColumn column) => (ulong)ProbeCatalogue.AllColumns.TakeWhile(c => c != column).Count();
}
