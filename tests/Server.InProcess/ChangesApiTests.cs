using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>
/// <c>/api/changes</c> over synthesized seconds: a window against the same window a minute earlier, per host and for the
/// fleet. The server is this class's own, so "the fleet" is the two hosts stored here.
/// </summary>
public sealed class ChangesApiTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    /// <summary>The later window's first second (Unix seconds); the earlier window starts a minute before it. Both 10 s long.</summary>
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30;

    private static readonly SemaphoreSlim Stored = new(1, 1);
    private static bool _stored;

    /// <summary>
    /// api-01, per second: then a=10 b=50 c=5 e=4; now a=30 b=20 d=7 e=4. api-02: a=10 in both windows.
    /// So over 10 s, per key: b −300, a +200, d +70, c −50, e unchanged.
    /// </summary>
    private async Task StoreOnceAsync()
    {
        await Stored.WaitAsync(InProcessAgent.Patience);
        try
        {
            if (!_stored)
            {
                await StoreAsync("api-01", "pagefaults", [("a", [10]), ("b", [50]), ("c", [5]), ("e", [4])], [("a", [30]), ("b", [20]), ("d", [7]), ("e", [4])]);
                await StoreAsync("api-02", "pagefaults", [("a", [10])], [("a", [10])]);
                // kmem, per second: dentry allocs 100 frees 100 then allocs 300 frees 100; kmalloc-64 allocs 50 frees 10 both times.
                await StoreAsync("hub-01", "kmem", [("dentry", [100, 100]), ("kmalloc-64", [50, 10])], [("dentry", [300, 100]), ("kmalloc-64", [50, 10])]);
                _stored = true;
            }
        }
        finally
        {
            Stored.Release();
        }
    }

    private async Task StoreAsync(string host, string probe, (string Key, ulong[] Values)[] then, (string Key, ulong[] Values)[] now)
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host));
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, (ulong)Random.Shared.NextInt64(1, long.MaxValue), probe))).Welcome);
        var sequence = 0UL;
        foreach (var (start, rows) in new[] { (Now - 60, then), (Now, now) })
        {
            for (var s = 0; s < 10; s++)
            {
                var snapshot = new Snapshot { Sequence = ++sequence, Probe = probe, StartUnixMs = (start + s) * 1000, DurationMs = 1000 };
                snapshot.Rows.AddRange(rows.Select(r => new Row { Key = r.Key, Values = { r.Values } }));
                await agent.SendAsync(snapshot);
            }
        }

        var (stored, rejected) = await agent.AnswersAsync([.. Enumerable.Range(1, 20).Select(i => (ulong)i)]);
        Assert.Empty(rejected);
        Assert.Equal(20, stored.Count);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string query, string probe = "pagefaults")
    {
        await StoreOnceAsync();
        using var web = server.Web();
        var from = DateTimeOffset.FromUnixTimeSeconds(Now).ToString("O");
        var to = DateTimeOffset.FromUnixTimeSeconds(Now + 10).ToString("O");
        using var response = await web.GetAsync(new Uri($"/api/changes?probe={probe}&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&{query}", UriKind.Relative))
            .WaitAsync(InProcessAgent.Patience);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static List<(string Key, decimal Change, ulong? Now, ulong? Then)> Rows(JsonElement body) =>
        [.. body.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("key").GetString()!,
            r.GetProperty("change").GetDecimal(),
            Count(r.GetProperty("faults")[0]),
            Count(r.GetProperty("faults")[1])))];

    private static ulong? Count(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetUInt64();

    [Fact]
    public async Task Changes_OneHost_KeysRankedByHowFarTheyMovedUnchangedLeftOut()
    {
        var (status, body) = await GetAsync("host=api-01&against=1m");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            [("b", -300m, 200UL, 500UL), ("a", 200m, 300UL, 100UL), ("d", 70m, 70UL, null), ("c", -50m, null, 50UL)],
            Rows(body));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now - 60).UtcDateTime, body.GetProperty("thenFrom").GetDateTime());
        Assert.Equal(("faults", 60_000L), (body.GetProperty("column").GetString(), body.GetProperty("againstMs").GetInt64()));
    }

    [Fact]
    public async Task Changes_NoHostNamed_TheFleetSummed()
    {
        var (_, fleet) = await GetAsync("against=1m&limit=2");
        var (_, steady) = await GetAsync("host=api-02&against=1m");

        // api-02's a is 100 in both windows: the fleet's a moved as api-01's did, but from 200 to 400.
        Assert.Equal([("b", -300m, 200UL, 500UL), ("a", 200m, 400UL, 200UL)], Rows(fleet));
        Assert.Empty(Rows(steady));
    }

    [Fact]
    public async Task Changes_KmemByNet_TheCacheThatGrewAndNotTheOneThatHeldSteady()
    {
        var (_, byNet) = await GetAsync("host=hub-01&against=1m&column=net", "kmem");
        var (_, byFrees) = await GetAsync("host=hub-01&against=1m&column=frees", "kmem");

        var row = Assert.Single(byNet.GetProperty("rows").EnumerateArray().ToList());
        Assert.Equal(("dentry", 2000m), (row.GetProperty("key").GetString(), row.GetProperty("change").GetDecimal()));
        Assert.Equal([3000UL, 1000UL], row.GetProperty("allocs").EnumerateArray().Select(v => v.GetUInt64()));
        Assert.Equal([1000UL, 1000UL], row.GetProperty("frees").EnumerateArray().Select(v => v.GetUInt64()));
        Assert.Equal("net", byNet.GetProperty("column").GetString());
        Assert.Empty(byFrees.GetProperty("rows").EnumerateArray());
    }

    [Theory]
    [InlineData("against=0s", "against must be a duration from 1s to 366d")]
    [InlineData("against=yesterday", "\"yesterday\" is not a duration")]
    [InlineData("against=400d", "against must be a duration from 1s to 366d")]
    [InlineData("column=allocs", "column must be one of faults for pagefaults (got \"allocs\")")]
    [InlineData("host=nosuch", "nosuch")]
    public async Task Changes_BadParameter_RefusedSayingWhy(string query, string reason)
    {
        var (status, body) = await GetAsync(query);

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{status}: {body}");
        Assert.Contains(reason, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
