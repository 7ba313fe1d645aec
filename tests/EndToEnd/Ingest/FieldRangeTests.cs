using System.Net;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Ingest;

/// <summary>
/// Fields out of range from an agent that is not Tracefleet's: each snapshot is refused on its own with a plain reason,
/// the stream goes on, the good snapshots around them are stored, and every endpoint keeps answering for the whole fleet
/// (a start at 2^63 − 1 once made /api/fleet/summary answer 500).
/// </summary>
public sealed class FieldRangeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SnapshotsOutOfRange_EachRefusedAloneStreamGoesOnEndpointsAnswer()
    {
        var server = fixture.Server;
        var host = $"ranges-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;
        await using var agent = await WireAgent.ConnectAsync(server.IngestUrl, host, epoch: 11, ["kmem"]);

        await agent.SendAsync(Kmem(1, now - 3000));
        await agent.SendAsync(Kmem(2, now - 2000, durationMs: 1U << 31));
        await agent.SendAsync(Kmem(3, long.MaxValue));
        await agent.SendAsync(Kmem(1UL << 63, now - 2000));
        await agent.SendAsync(Kmem(4, now - 1000, key: "filp"));
        var answers = await agent.AnswersAsync([1, 2, 3, 1UL << 63, 4], Patience);

        Assert.Equal(WireAgent.AnswerKind.Stored, answers[1].Kind);
        Assert.Equal(WireAgent.AnswerKind.Stored, answers[4].Kind);
        Assert.Contains("duration_ms 2147483648 is outside 1 to 86400000", answers[2].Reason, StringComparison.Ordinal);
        Assert.Contains("start_unix_ms 9223372036854775807 is not a time", answers[3].Reason, StringComparison.Ordinal);
        Assert.Contains("sequence 9223372036854775808 is outside 1 to 9223372036854775807", answers[1UL << 63].Reason, StringComparison.Ordinal);
        Assert.Null(agent.EndedWith);

        var latest = await server.GetAsync<LatestDto>($"/api/hosts/{host}/latest?probe=kmem");
        Assert.Equal(4, latest.Sequence);
        Assert.Equal(["filp"], latest.Rows.Select(r => r.Key));
        var top = await server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal([("dentry", 5L, 3L), ("filp", 5L, 3L)], top.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
        var summary = await server.GetAsync<JsonElement>("/api/fleet/summary");
        Assert.Contains(summary.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("name").GetString() == host);
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains($"tracefleet_snapshots_refused_total{{host=\"{host}\",probe=\"kmem\",reason=\"invalid\"}} 3", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeStatusWithANaNRate_DroppedLaterStatusKeptHostAnswers()
    {
        var server = fixture.Server;
        var host = $"nan-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var agent = await WireAgent.ConnectAsync(server.IngestUrl, host, epoch: 12, ["kmem"]);

        await agent.SendAsync(new ProbeStatus { Probe = "kmem", State = "running", LinesPerSecond = double.NaN, AtUnixMs = now });
        await agent.SendAsync(new ProbeStatus { Probe = "kmem", State = "running", LinesPerSecond = double.PositiveInfinity, AtUnixMs = now });
        await agent.SendAsync(new ProbeStatus { Probe = "kmem", State = "running", LinesPerSecond = 12.5, AtUnixMs = now, RejectedSnapshots = 2, LastRejection = "too old" });
        // A snapshot after the statuses: once it is answered, the statuses before it were read.
        await agent.SendAsync(Kmem(1, now / 1000 * 1000 - 1000));
        Assert.Equal(WireAgent.AnswerKind.Stored, (await agent.AnswersAsync([1], Patience))[1].Kind);

        using var response = await server.Http.GetAsync($"/api/hosts/{host}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var probe = JsonDocument.Parse(body).RootElement.GetProperty("probes").EnumerateArray().Single();
        Assert.Equal(12.5, probe.GetProperty("linesPerSecond").GetDouble());
        Assert.Equal(2, probe.GetProperty("rejectedSnapshots").GetInt64());
        Assert.Equal("too old", probe.GetProperty("lastRejection").GetString());
        Assert.Contains("lines_per_second must be a finite number", server.Output, StringComparison.Ordinal);
        using var summary = await server.Http.GetAsync("/api/fleet/summary");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
    }

    private static Snapshot Kmem(ulong sequence, long start, uint durationMs = 1000, string key = "dentry") => new()
    {
        Sequence = sequence,
        Probe = "kmem",
        StartUnixMs = start,
        DurationMs = durationMs,
        Rows = { new Row { Key = key, Values = { 5, 3 } } },
    };
}
