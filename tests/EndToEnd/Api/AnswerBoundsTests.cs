using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tracefleet.Contract.V1;
using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Api;

/// <summary>
/// History with many keys, read by clients asking for all of them at once: every top is at most 5,000 rows and every compare
/// 1,000 (limit=0 asks for that many), so their size and the server's memory stay bounded whatever the fleet holds. Measured by the answers' bytes
/// and the server's own VmRSS before and after rounds of concurrent large requests.
/// </summary>
public sealed class AnswerBoundsTests(ITestOutputHelper output)
{
    private const int Hosts = 3;
    private const int KeysPerHost = 19_000;
    private const int KeysPerSnapshot = 1000;

    /// <summary>5,000 rows of these 45-character file names, with their counts, in JSON.</summary>
    private const int MaxAnswerBytes = 512 * 1024;

    // Bounded answers took the server's RSS up by 66–159 MB over these rounds (the garbage collector's budget, most of
    // it); unbounded ones, several MB each, took it up by 200 MB five at a time, so about 800 MB at twenty.
    private const int MaxRiseMb = 250;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task LimitZero_HostsWithNineteenThousandKeysEach_AnswersBoundedInRowsBytesAndMemory()
    {
        await using var server = await ServerProcess.StartAsync();
        var hosts = Enumerable.Range(0, Hosts).Select(h => $"keys-{h}-{Guid.NewGuid():N}").ToList();
        foreach (var host in hosts)
        {
            await SeedAsync(server, host);
        }

        var hostList = string.Concat(hosts.Select(h => "&host=" + h));
        string[] large =
        [
            "/api/fleet/top?probe=pagefaults&limit=0",
            "/api/fleet/top?probe=pagefaults&limit=0&format=csv",
            $"/api/compare?probe=pagefaults&limit=0{hostList}",
            $"/api/hosts/{hosts[0]}/top?probe=pagefaults&limit=0",
        ];

        var fleetTop = await RowsAsync(server, large[0]);
        var compare = (await RowsAsync(server, large[2], "rows"));
        var hostTop = await RowsAsync(server, large[3]);
        Assert.Equal(5000, fleetTop.Rows);
        Assert.Equal(1000, compare.Rows);
        Assert.Equal(5000, hostTop.Rows);
        var sizes = new List<long> { fleetTop.Bytes, compare.Bytes, hostTop.Bytes };
        using (var csv = await server.Http.GetAsync(large[1]).WaitAsync(Patience))
        {
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Equal(5001, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            sizes.Add(text.Length);
        }

        // Every host had all 19,000 keys: an unbounded answer would have been 57,000 rows (several MB each).
        Assert.All(sizes, size => Assert.InRange(size, 1, MaxAnswerBytes));

        var before = ProcessMemory.RssMb(server.ProcessId);
        var peak = before;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 4; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 5).SelectMany(_ => large).Select(async path =>
            {
                using var response = await server.Http.GetAsync(path).WaitAsync(Patience);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadAsByteArrayAsync()).Length;
            }));
            Assert.All(answers, size => Assert.InRange(size, 1, MaxAnswerBytes));
            peak = Math.Max(peak, ProcessMemory.RssMb(server.ProcessId));
        }

        var after = ProcessMemory.RssMb(server.ProcessId);
        output.WriteLine(
            $"answers: fleet top {fleetTop.Bytes} B, compare {compare.Bytes} B, host top {hostTop.Bytes} B, csv {sizes[3]} B; "
            + $"server RSS {before:F0} MB before 4 rounds of 20 concurrent large requests ({clock.Elapsed.TotalSeconds:F1} s), peak {peak:F0} MB, after {after:F0} MB");
        Assert.True(peak - before < MaxRiseMb, $"server RSS rose from {before:F0} MB to a peak of {peak:F0} MB");
    }

    /// <summary>Stores <see cref="KeysPerHost"/> distinct file names for the host, 1,000 a snapshot, as a foreign agent would send them.</summary>
    private static async Task SeedAsync(ServerProcess server, string host)
    {
        await using var agent = await WireAgent.ConnectAsync(server.IngestUrl, host, epoch: 1, ["pagefaults"]);
        var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000) - ((KeysPerHost / KeysPerSnapshot) + 5) * 1000L;
        var sequences = new List<ulong>();
        for (var s = 0; s < KeysPerHost / KeysPerSnapshot; s++)
        {
            var snapshot = new Snapshot { Sequence = (ulong)s + 1, Probe = "pagefaults", StartUnixMs = start + (s * 1000L), DurationMs = 1000 };
            for (var k = 0; k < KeysPerSnapshot; k++)
            {
                var key = (s * KeysPerSnapshot) + k;
                snapshot.Rows.Add(new Row { Key = $"/usr/lib/x86_64-linux-gnu/libfleet-{key:D5}.so.1", Values = { (ulong)(key + 1) } });
            }

            await agent.SendAsync(snapshot);
            sequences.Add(snapshot.Sequence);
        }

        var answers = await agent.AnswersAsync(sequences, Patience);
        Assert.All(answers.Values, a => Assert.Equal(WireAgent.AnswerKind.Stored, a.Kind));
    }

    private static async Task<(int Rows, long Bytes)> RowsAsync(ServerProcess server, string path, string? property = null)
    {
        using var response = await server.Http.GetAsync(path).WaitAsync(Patience);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(body);
        var rows = property is null ? json.RootElement : json.RootElement.GetProperty(property);
        return (rows.GetArrayLength(), body.Length);
    }
}
