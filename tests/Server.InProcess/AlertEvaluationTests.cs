using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.Server.InProcess;

/// <summary>
/// Rules evaluated on snapshots as the server stores them, and a preview over the stored history that gives the same
/// firings. Each test's rule is for a host of its own, so the tests of this class do not see each other's alerts.
/// </summary>
public sealed class AlertEvaluationTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static ulong NewEpoch() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>A pagefaults rule on <paramref name="host"/>'s libc.</summary>
    private static JsonObject Rule(string name, string host, string window = "1s", string? pendingFor = null, int? clear = null)
    {
        var rule = new JsonObject
        {
            ["name"] = name,
            ["probe"] = "pagefaults",
            ["column"] = "faults",
            ["key"] = "libc.so*",
            ["hosts"] = host,
            ["above"] = 100,
            ["window"] = window,
        };
        if (pendingFor is not null)
        {
            rule["for"] = pendingFor;
        }

        if (clear is not null)
        {
            rule["clear"] = clear;
        }

        return rule;
    }

    /// <summary>
    /// Seconds of libc faults from <paramref name="firstSecond"/> (Unix seconds), one snapshot each, stored; with
    /// <paramref name="newestFirst"/> sent as an agent back from an outage sends them: its newest, then the backlog in order.
    /// </summary>
    private async Task StoreAsync(string host, long firstSecond, List<ulong> faults, bool newestFirst = false)
    {
        using var channel = server.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf(host));
        Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, NewEpoch(), "pagefaults"))).Welcome);
        IEnumerable<int> order = newestFirst ? [faults.Count - 1, .. Enumerable.Range(0, faults.Count - 1)] : Enumerable.Range(0, faults.Count);
        foreach (var i in order)
        {
            await agent.SendAsync(new Snapshot
            {
                Sequence = (ulong)i + 1,
                Probe = "pagefaults",
                StartUnixMs = (firstSecond + i) * 1000,
                DurationMs = 1000,
                Rows = { new Row { Key = "libc.so.6", Values = { faults[i] } }, new Row { Key = "bash", Values = { 5 } } },
            });
        }

        var (stored, rejected) = await agent.AnswersAsync([.. Enumerable.Range(1, faults.Count).Select(i => (ulong)i)]);
        Assert.Empty(rejected);
        Assert.Equal(faults.Count, stored.Count);
    }

    private async Task PostAsync(string path, JsonNode body)
    {
        using var web = server.Web();
        using var response = await web.PostAsJsonAsync(new Uri(path, UriKind.Relative), body).WaitAsync(InProcessAgent.Patience);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var web = server.Web();
        return await web.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative)).WaitAsync(InProcessAgent.Patience);
    }

    /// <summary>The host's alert history, oldest first, as "from→to@unix-second".</summary>
    private async Task<List<string>> HistoryAsync(string host, int expected)
    {
        var steps = await Poll.UntilAsync(
            async () =>
            {
                var history = await GetAsync($"/api/alerts/history?host={host}");
                return history.EnumerateArray().Reverse()
                    .Select(t => $"{t.GetProperty("from").GetString()}→{t.GetProperty("to").GetString()}@{t.GetProperty("at").GetDateTimeOffset().ToUnixTimeSeconds()}")
                    .ToList();
            },
            steps => steps.Count >= expected,
            InProcessAgent.Patience);
        Assert.True(steps.Count >= expected, $"{expected} alert transitions of {host} expected, saw: {string.Join(", ", steps)}");
        return steps;
    }

    [Fact]
    public async Task StoredSnapshots_CrossingTheThreshold_FireThenResolve()
    {
        await PostAsync("/api/rules", Rule("crossing", "web-01"));
        var first = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 6;
        await StoreAsync("web-01", first, [50, 500, 500, 20, 20]);

        Assert.Equal([$"inactive→firing@{first + 2}", $"firing→resolved@{first + 4}"], await HistoryAsync("web-01", 2));
        var transitions = await GetAsync("/api/alerts/history?host=web-01&rule=crossing");
        Assert.Equal(500, transitions[1].GetProperty("value").GetDouble());
        Assert.Equal("libc.so.6", transitions[1].GetProperty("key").GetString());
    }

    [Fact]
    public async Task StoredBacklog_FiredAndResolvedLongAgo_IsInHistoryUnnotified()
    {
        await PostAsync("/api/rules", Rule("backlog", "hub-01", window: "2s"));
        var first = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 75;
        await StoreAsync("hub-01", first, [5000, 5000, 5000, 5000, .. Enumerable.Repeat(10UL, 66)], newestFirst: true);

        Assert.Equal([$"inactive→firing@{first + 2}", $"firing→resolved@{first + 6}"], await HistoryAsync("hub-01", 2));
        var transitions = await GetAsync("/api/alerts/history?host=hub-01");
        Assert.All(transitions.EnumerateArray(), t => Assert.False(t.GetProperty("notified").GetBoolean()));
    }

    [Fact]
    public async Task StoredSnapshots_StillAbove_AreListedAsFiringNow()
    {
        await PostAsync("/api/rules", Rule("firing-now", "web-02"));
        var first = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 4;
        await StoreAsync("web-02", first, [500, 500, 500]);

        await HistoryAsync("web-02", 1);
        var now = await GetAsync("/api/alerts");
        var alert = now.EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "firing-now");
        Assert.Equal(("firing", "web-02", "libc.so.6"), (alert.GetProperty("state").GetString(), alert.GetProperty("host").GetString(), alert.GetProperty("key").GetString()));
        Assert.Equal("libc.so.6", alert.GetProperty("labels").GetProperty("key").GetString());
    }

    /// <summary>Firings as (start, end) Unix milliseconds, oldest first, from a newest-first transition history.</summary>
    private static List<(long Start, long? End)> LiveFirings(JsonElement history)
    {
        var firings = new List<(long Start, long? End)>();
        foreach (var t in history.EnumerateArray().Reverse())
        {
            var at = t.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds();
            switch (t.GetProperty("to").GetString())
            {
                case "firing":
                    firings.Add((at, null));
                    break;
                case "resolved" when firings.Count > 0:
                    firings[^1] = (firings[^1].Start, at);
                    break;
            }
        }

        return firings;
    }

    [Fact]
    public async Task Preview_OverTheStoredHistory_GivesTheFiringsLiveEvaluationGave()
    {
        // Bursts of random height and length over two minutes; window, for and clear all in play.
        var random = new Random(20261130);
        var faults = new List<ulong>();
        while (faults.Count < 120)
        {
            var (level, seconds) = random.Next(3) == 0 ? ((ulong)random.Next(150, 400), random.Next(2, 9)) : ((ulong)random.Next(0, 90), random.Next(1, 12));
            faults.AddRange(Enumerable.Repeat(level, seconds));
        }

        faults = faults[..120];
        var rule = Rule("preview-equals-live", "db-01", window: "3s", pendingFor: "2s", clear: 60);
        await PostAsync("/api/rules", rule);
        var first = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 125;
        await StoreAsync("db-01", first, faults);

        // The preview reads the stored history, complete once every snapshot is acknowledged.
        rule["name"] = "preview-only";
        using var web = server.Web();
        using var response = await web.PostAsJsonAsync(
            new Uri("/api/rules/preview", UriKind.Relative),
            new JsonObject
            {
                ["rule"] = rule,
                ["from"] = DateTimeOffset.FromUnixTimeSeconds(first).ToString("O"),
                ["to"] = DateTimeOffset.FromUnixTimeSeconds(first + 120).ToString("O"),
            }).WaitAsync(InProcessAgent.Patience);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("1s", preview.GetProperty("resolution").GetString());
        Assert.Equal(120, preview.GetProperty("samples").GetInt64());
        var previewed = preview.GetProperty("firings").EnumerateArray()
            .Select(f => (f.GetProperty("startsAt").GetDateTimeOffset().ToUnixTimeMilliseconds(),
                f.GetProperty("endsAt").ValueKind == JsonValueKind.Null ? (long?)null : f.GetProperty("endsAt").GetDateTimeOffset().ToUnixTimeMilliseconds()))
            .ToList();
        Assert.True(previewed.Count >= 2, $"the synthesized history should fire more than once (previewed {previewed.Count} firings)");

        // Live: every firing, from the history of transitions, which the server records after evaluating: read until
        // it holds as many firings as the preview found, then compare them.
        var live = await Poll.UntilAsync(
            async () => LiveFirings(await GetAsync("/api/alerts/history?host=db-01&rule=preview-equals-live")),
            firings => firings.Count >= previewed.Count && (firings[^1].End is not null) == (previewed[^1].Item2 is not null),
            InProcessAgent.Patience);

        Assert.Equal(previewed, live);
        Assert.DoesNotContain((await GetAsync("/api/rules")).EnumerateArray(), r => r.GetProperty("name").GetString() == "preview-only");
    }

    [Fact]
    public async Task Preview_BadRule_Is400WithTheRulesFieldNames()
    {
        using var web = server.Web();
        using var response = await web.PostAsJsonAsync(
            new Uri("/api/rules/preview", UriKind.Relative),
            new JsonObject { ["rule"] = new JsonObject { ["probe"] = "kmem", ["column"] = "faults", ["above"] = 1 } }).WaitAsync(InProcessAgent.Patience);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("not a column of kmem", problem.GetProperty("errors").GetProperty("rule.column")[0].GetString(), StringComparison.Ordinal);
    }
}
