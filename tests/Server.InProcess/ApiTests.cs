using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>Two hosts' snapshots, sent once over gRPC; the HTTP API's answers over them, and its refusals.</summary>
public sealed class ApiTests(ApiTests.TwoHosts server) : IClassFixture<ApiTests.TwoHosts>
{
    /// <summary>
    /// api-01 sent libc.so.6 40 + 10 and ld.so 2 + 3; api-02 sent libc.so.6 7 and vmlinux 100. Top: api-01 libc.so.6 50,
    /// ld.so 5; fleet: vmlinux 100 (1 host), libc.so.6 57 (2 hosts), ld.so 5 (1 host).
    /// </summary>
    public sealed class TwoHosts : InProcessServer, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await SendAsync("api-01", InProcessAgent.PageFaults(1, 3, ("libc.so.6", 40), ("ld.so", 2)), InProcessAgent.PageFaults(2, 2, ("libc.so.6", 10), ("ld.so", 3)));
            await SendAsync("api-02", InProcessAgent.PageFaults(1, 2, ("libc.so.6", 7), ("vmlinux", 100)));
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        private async Task SendAsync(string host, params Snapshot[] snapshots)
        {
            using var channel = Ingest();
            using var agent = new InProcessAgent(channel, TokenOf(host));
            Assert.NotNull((await agent.HelloAsync(InProcessAgent.Hello(host, 1, "pagefaults"))).Welcome);
            foreach (var snapshot in snapshots)
            {
                await agent.SendAsync(snapshot);
            }

            var (stored, _) = await agent.AnswersAsync([.. snapshots.Select(s => s.Sequence)]);
            Assert.Equal(snapshots.Length, stored.Count);
        }
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var web = server.Web();
        return await web.GetFromJsonAsync<JsonElement>(path).WaitAsync(InProcessAgent.Patience);
    }

    [Fact]
    public async Task Top_TwoSnapshotsOfAHost_SumsPerKeyBusiestFirst()
    {
        var top = await GetAsync("/api/hosts/api-01/top?probe=pagefaults");

        Assert.Equal(
            [("libc.so.6", 50ul), ("ld.so", 5ul)],
            top.EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("faults").GetUInt64())));
    }

    [Fact]
    public async Task FleetTop_TwoHosts_SumsAcrossHostsWithHowManyHadTheKey()
    {
        var top = await GetAsync("/api/fleet/top?probe=pagefaults");

        Assert.Equal(
            [("vmlinux", 100ul, 1), ("libc.so.6", 57ul, 2), ("ld.so", 5ul, 1)],
            top.EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("faults").GetUInt64(), r.GetProperty("hosts").GetInt32())));
    }

    [Fact]
    public async Task Compare_TwoHosts_OneValuePerHostNullWhereAHostNeverHadTheKey()
    {
        var compare = await GetAsync("/api/compare?probe=pagefaults&host=api-01&host=api-02");

        Assert.Equal(["api-01", "api-02"], compare.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        var rows = compare.GetProperty("rows").EnumerateArray().ToDictionary(
            r => r.GetProperty("key").GetString()!,
            r => r.GetProperty("faults").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (ulong?)null : v.GetUInt64()).ToList());
        Assert.Equal([50ul, 7ul], rows["libc.so.6"]);
        Assert.Equal([5ul, null], rows["ld.so"]);
        Assert.Equal([null, 100ul], rows["vmlinux"]);
        Assert.Equal(3, rows.Count);
    }

    [Theory]
    [InlineData("/api/hosts/no-such-host/top?probe=pagefaults", HttpStatusCode.NotFound, "no-such-host")]
    [InlineData("/api/hosts/api-01/top?probe=syscalls", HttpStatusCode.BadRequest, "syscalls")]
    [InlineData("/api/hosts/api-01/top?probe=pagefaults&limit=5001", HttpStatusCode.BadRequest, "from 1 to 5000, or 0 for the most allowed (5000)")]
    [InlineData("/api/fleet/top?probe=kmem&to=11/12/2026", HttpStatusCode.BadRequest, "to must be an ISO-8601 time")]
    [InlineData("/api/fleet/top?probe=kmem&format=xml", HttpStatusCode.BadRequest, "format must be json or csv (got \"xml\")")]
    [InlineData("/api/series?probe=kmem&format=xlsx", HttpStatusCode.BadRequest, "format must be json or csv")]
    [InlineData("/api/compare?probe=kmem&host=api-01&host=api-02&limit=1001", HttpStatusCode.BadRequest, "from 1 to 1000")]
    [InlineData("/api/hosts/web%0Aforged/top?probe=kmem", HttpStatusCode.BadRequest, "(got U+000A)")]
    public async Task Get_BadRequest_ProblemBodySaysWhy(string path, HttpStatusCode status, string detailMentions)
    {
        using var web = server.Web();

        using var response = await web.GetAsync(path).WaitAsync(InProcessAgent.Patience);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(InProcessAgent.Patience);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
