using Tracefleet.Contract.V1;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Ingest;

/// <summary>
/// Both wire forms of a snapshot's table through a real server over gRPC: the columnar form of agents of this version and
/// the row form of older agents are stored alike, a resend in the other form is recognised (not stored twice, no
/// conflict), and a malformed columnar table or one sent in both forms is refused on its own while the stream goes on.
/// </summary>
public sealed class WireFormTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ColumnarAndRowForms_StoredAlikeResendsRecognisedBadOnesRefusedAlone()
    {
        var server = fixture.Server;
        var host = $"forms-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;
        await using var agent = await WireAgent.ConnectAsync(server.IngestUrl, host, epoch: 21, ["kmem"]);

        var columnar = Columnar(1, now - 5000, ("dentry", 5, 3), ("filp", 7, 1));
        var rows = Rows(2, now - 4000, ("dentry", 1, 1));
        var wrongLength = Columnar(3, now - 3000, ("dentry", 1, 1), ("filp", 1, 1));
        wrongLength.Values.RemoveAt(3);
        var bothForms = Columnar(4, now - 2000, ("dentry", 1, 1));
        bothForms.Rows.Add(new Row { Key = "filp", Values = { 1, 1 } });
        var after = Rows(5, now - 1000, ("inode_cache", 2, 2));
        foreach (var snapshot in new[] { columnar, rows, wrongLength, bothForms, after })
        {
            await agent.SendAsync(snapshot);
        }

        var answers = await agent.AnswersAsync([1, 2, 3, 4, 5], Patience);
        Assert.Equal(
            [WireAgent.AnswerKind.Stored, WireAgent.AnswerKind.Stored, WireAgent.AnswerKind.Rejected, WireAgent.AnswerKind.Rejected, WireAgent.AnswerKind.Stored],
            [.. Enumerable.Range(1, 5).Select(s => answers[(ulong)s].Kind)]);
        Assert.Contains("2 keys of kmem take 4 values (2 a key), not 3", answers[3].Reason, StringComparison.Ordinal);
        Assert.Contains("carries both rows and keys/values", answers[4].Reason, StringComparison.Ordinal);

        // The same tables again, each in the other form: an older agent resending what a newer one stored, and the reverse.
        await agent.SendAsync(Rows(1, now - 5000, ("dentry", 5, 3), ("filp", 7, 1)));
        await agent.SendAsync(Columnar(2, now - 4000, ("dentry", 1, 1)));
        var resent = await agent.AnswersAsync([1, 2], Patience);
        Assert.All(resent.Values, a => Assert.Equal(WireAgent.AnswerKind.Stored, a.Kind));
        Assert.Null(agent.EndedWith);

        var top = await server.GetAsync<List<KmemRowDto>>($"/api/hosts/{host}/top?probe=kmem&limit=0");
        Assert.Equal(
            [("dentry", 6L, 4L), ("filp", 7L, 1L), ("inode_cache", 2L, 2L)],
            top.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Allocs, r.Frees)));
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains($"tracefleet_snapshots_refused_total{{host=\"{host}\",probe=\"kmem\",reason=\"invalid\"}} 2", metrics, StringComparison.Ordinal);
    }

    private static Snapshot Columnar(ulong sequence, long start, params (string Key, ulong Allocs, ulong Frees)[] rows)
    {
        var snapshot = new Snapshot { Sequence = sequence, Probe = "kmem", StartUnixMs = start, DurationMs = 1000 };
        foreach (var (key, allocs, frees) in rows)
        {
            snapshot.Keys.Add(key);
            snapshot.Values.Add([allocs, frees]);
        }

        return snapshot;
    }

    private static Snapshot Rows(ulong sequence, long start, params (string Key, ulong Allocs, ulong Frees)[] rows) =>
        WireForms.As(Columnar(sequence, start, rows), rowForm: true);
}
