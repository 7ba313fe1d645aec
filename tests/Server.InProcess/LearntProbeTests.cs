using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Tracefleet.Contract.Probes;
using Tracefleet.Contract.V1;
using Tracefleet.Server.InProcess.Infrastructure;

namespace Tracefleet.Server.InProcess;

/// <summary>
/// A probe the server has never seen, brought by an agent's Hello as a descriptor: stored, served by every API with its own
/// columns, still known after a restart; and descriptors the server refuses, which cost only their own probe's snapshots.
/// The catalogue is process-wide, so every probe here has a name (and key noun) no other test of this assembly uses.
/// </summary>
public sealed class LearntProbeTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private static readonly ValueColumn Opens = new("opens", "opens", "Files opened");
    private static readonly ValueColumn Reads = new("reads", "reads", "Read calls");
    private static readonly ValueColumn Writes = new("writes", "writes", "Write calls");

    private static ulong NewEpoch() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>A three-column probe keyed by process, as an agent's descriptor folder would define it.</summary>
    private static ProbeDefinition FileCalls(string name, string noun) =>
        new(name, "file calls by process", new KeyColumn("process name", noun), [Opens, Reads, Writes]);

    /// <summary>A Hello from <paramref name="host"/> running <paramref name="probes"/>, each with its descriptor as the agent sends it.</summary>
    private static Hello HelloWith(string host, params ProbeDefinition[] probes)
    {
        var hello = InProcessAgent.Hello(host, NewEpoch());
        hello.Probes.AddRange(probes.Select(p => new ProbeInfo { Name = p.Name, Variant = "in-process", Definition = p.ToDescriptor() }));
        return hello;
    }

    private static Snapshot Of(string probe, ulong sequence, int secondsAgo, params (string Key, ulong[] Values)[] rows) => new()
    {
        Sequence = sequence,
        Probe = probe,
        StartUnixMs = DateTimeOffset.UtcNow.AddSeconds(-secondsAgo).ToUnixTimeMilliseconds(),
        DurationMs = 1000,
        Rows = { rows.Select(r => new Row { Key = r.Key, Values = { r.Values } }) },
    };

    /// <summary>Sends <paramref name="hello"/> and <paramref name="snapshots"/> to <paramref name="to"/>; what the server answered for each.</summary>
    private static async Task<(List<ulong> Stored, Dictionary<ulong, string> Rejected)> SendAsync(InProcessServer to, Hello hello, params Snapshot[] snapshots)
    {
        using var channel = to.Ingest();
        using var agent = new InProcessAgent(channel, InProcessServer.TokenOf(hello.Host));
        Assert.NotNull((await agent.HelloAsync(hello)).Welcome);
        foreach (var snapshot in snapshots)
        {
            await agent.SendAsync(snapshot);
        }

        return await agent.AnswersAsync([.. snapshots.Select(s => s.Sequence)]);
    }

    private static async Task<JsonElement> GetJsonAsync(InProcessServer from, string path)
    {
        using var web = from.Web();
        return await web.GetFromJsonAsync<JsonElement>(path).WaitAsync(InProcessAgent.Patience);
    }

    private static async Task<string> GetTextAsync(InProcessServer from, string path)
    {
        using var web = from.Web();
        return await web.GetStringAsync(new Uri(path, UriKind.Relative)).WaitAsync(InProcessAgent.Patience);
    }

    /// <summary>(key, opens, reads, writes) of each row of a host's top, busiest first.</summary>
    private static async Task<List<(string?, ulong, ulong, ulong)>> TopAsync(InProcessServer from, string host, string probe)
    {
        var top = await GetJsonAsync(from, $"/api/hosts/{host}/top?probe={probe}");
        return [.. top.EnumerateArray().Select(r => (
            r.GetProperty("key").GetString(), r.GetProperty("opens").GetUInt64(), r.GetProperty("reads").GetUInt64(), r.GetProperty("writes").GetUInt64()))];
    }

    private static ulong Total(IEnumerable<JsonElement> points, string column) => points.Aggregate(0ul, (sum, p) => sum + p.GetProperty(column).GetUInt64());

    [Fact]
    public async Task Connect_HelloWithANewThreeColumnProbe_StoredAndEveryApiNamesItsColumns()
    {
        var probe = FileCalls("lp_filecalls", "proc");

        var (stored, rejected) = await SendAsync(server, HelloWith("hub-01", probe),
            Of(probe.Name, 1, 3, ("nginx", [5, 40, 2]), ("cron", [1, 0, 1])),
            Of(probe.Name, 2, 2, ("nginx", [3, 10, 1])));

        Assert.Equal([1ul, 2ul], stored);
        Assert.Empty(rejected);
        var listed = (await GetJsonAsync(server, "/api/probes")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == probe.Name);
        Assert.Equal(["opens", "reads", "writes"], listed.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("proc", listed.GetProperty("key").GetProperty("noun").GetString());
        Assert.Equal([("nginx", 8ul, 50ul, 3ul), ("cron", 1ul, 0ul, 1ul)], await TopAsync(server, "hub-01", probe.Name));
        var csv = await GetTextAsync(server, $"/api/fleet/top?probe={probe.Name}&format=csv");
        Assert.Equal(["key,opens,reads,writes,hosts", "nginx,8,50,3,1", "cron,1,0,1,1"], csv.TrimEnd().Split("\r\n"));
        var series = await GetJsonAsync(server, $"/api/series?probe={probe.Name}&host=hub-01&key=nginx&step=1h");
        var points = series.GetProperty("series").EnumerateArray().Single().GetProperty("points").EnumerateArray().ToList();
        Assert.Equal((8ul, 50ul, 3ul), (Total(points, "opens"), Total(points, "reads"), Total(points, "writes")));
        var seriesCsv = await GetTextAsync(server, $"/api/series?probe={probe.Name}&host=hub-01&key=nginx&step=1h&format=csv");
        Assert.StartsWith("time,host,key,opens,reads,writes,opens_peak,reads_peak,writes_peak,opens_low,reads_low,writes_low\r\n", seriesCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_HelloReusingAKnownNameWithOtherColumns_ThatProbeRefusedWithWhyOthersStored()
    {
        var first = new ProbeDefinition("lp_reshaped", "calls by process", new KeyColumn("process name", "caller"), [new ValueColumn("calls", "calls", "System calls")]);
        Assert.Equal([1ul], (await SendAsync(server, HelloWith("hub-02", first), Of(first.Name, 1, 3, ("sshd", [9])))).Stored);
        var reshaped = first with { Columns = [.. first.Columns, new ValueColumn("errors", "errors", "Failed calls")] };

        var (stored, rejected) = await SendAsync(server, HelloWith("hub-02", ProbeCatalogue.PageFaults, reshaped),
            Of(reshaped.Name, 1, 2, ("sshd", [4, 1])),
            InProcessAgent.PageFaults(2, 2, ("libc.so.6", 11)));

        Assert.Equal([2ul], stored);
        Assert.Equal([1ul], rejected.Keys);
        Assert.Contains("probe lp_reshaped is known with columns calls keyed by caller; this descriptor has calls, errors keyed by caller", rejected[1], StringComparison.Ordinal);
        Assert.Equal(11ul, (await GetJsonAsync(server, "/api/hosts/hub-02/top?probe=pagefaults")).EnumerateArray().Single().GetProperty("faults").GetUInt64());
        var known = (await GetJsonAsync(server, "/api/probes")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == first.Name);
        Assert.Equal(["calls"], known.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(9ul, (await GetJsonAsync(server, $"/api/hosts/hub-02/top?probe={first.Name}")).EnumerateArray().Single().GetProperty("calls").GetUInt64());
    }

    [Fact]
    public async Task Connect_HelloWithAColumnNamedKey_ThatProbeRefusedWithWhyOthersStored()
    {
        var against = new ProbeDefinition("lp_keyed", "lookups by table", new KeyColumn("table name", "table"), [new ValueColumn("key", "lookups", "Key lookups")]);

        var (stored, rejected) = await SendAsync(server, HelloWith("hub-03", ProbeCatalogue.PageFaults, against),
            Of(against.Name, 1, 2, ("users", [3])),
            InProcessAgent.PageFaults(2, 2, ("ld.so", 6)));

        Assert.Equal([2ul], stored);
        Assert.Equal([1ul], rejected.Keys);
        Assert.Contains("probe lp_keyed: columns: \"key\" is a field every record already has", rejected[1], StringComparison.Ordinal);
        Assert.Equal(6ul, (await GetJsonAsync(server, "/api/hosts/hub-03/top?probe=pagefaults")).EnumerateArray().Single().GetProperty("faults").GetUInt64());
        Assert.DoesNotContain((await GetJsonAsync(server, "/api/probes")).EnumerateArray(), p => p.GetProperty("name").GetString() == against.Name);
    }

    [Fact]
    public async Task Start_OverAFileHoldingALearntProbe_KnowsItAndServesItsHistoryBeforeAnyAgent()
    {
        var dataDir = Directory.CreateTempSubdirectory("tracefleet-restart-").FullName;
        try
        {
            var probe = FileCalls("lp_before_restart", "procbefore");
            string database;
            await using (var first = InProcessServer.Over(dataDir))
            {
                database = first.DatabasePath;
                var (stored, _) = await SendAsync(first, HelloWith("api-01", probe), Of(probe.Name, 1, 5, ("make", [7, 70, 17])));
                Assert.Equal([1ul], stored);
            }

            // This process learnt the probe from the first server; the file now holds it under a name no server of this
            // process has seen, so only what the next server reads from the file can make it known.
            var restored = FileCalls("lp_after_restart", "procafter");
            await RenameStoredProbeAsync(database, probe, restored);
            Assert.Null(ProbeCatalogue.Find(restored.Name));

            await using var second = InProcessServer.Over(dataDir);
            var listed = (await GetJsonAsync(second, "/api/probes")).EnumerateArray().Single(p => p.GetProperty("name").GetString() == restored.Name);

            Assert.Equal(["opens", "reads", "writes"], listed.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
            Assert.Equal([("make", 7ul, 70ul, 17ul)], await TopAsync(second, "api-01", restored.Name));
            var series = await GetJsonAsync(second, $"/api/series?probe={restored.Name}&host=api-01&step=1h");
            Assert.Equal(70ul, Total(series.GetProperty("series").EnumerateArray().Single().GetProperty("points").EnumerateArray(), "reads"));
            Assert.False((await GetJsonAsync(second, "/api/hosts/api-01")).GetProperty("online").GetBoolean());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Moves <paramref name="from"/>'s stored definition and snapshots to <paramref name="to"/>, as a server that learnt <paramref name="to"/> would have left them.</summary>
    private static async Task RenameStoredProbeAsync(string databasePath, ProbeDefinition from, ProbeDefinition to)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync().WaitAsync(InProcessAgent.Patience);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT DefinitionJson FROM Probes WHERE Id = $id";
        read.Parameters.AddWithValue("$id", ProbeCatalogue.IdOf(from.Name));
        var definition = JsonNode.Parse((string)(await read.ExecuteScalarAsync().WaitAsync(InProcessAgent.Patience))!)!;
        definition["name"] = to.Name;
        definition["key"]!["noun"] = to.Key.Noun;
        definition["topField"] = to.TopField;

        await using var write = connection.CreateCommand();
        write.CommandText = """
            UPDATE Probes SET Id = $to, Name = $name, DefinitionJson = $json WHERE Id = $from;
            UPDATE Snapshots SET Probe = $to WHERE Probe = $from;
            UPDATE Rollups SET Probe = $to WHERE Probe = $from;
            """;
        write.Parameters.AddWithValue("$from", ProbeCatalogue.IdOf(from.Name));
        write.Parameters.AddWithValue("$to", ProbeCatalogue.IdOf(to.Name));
        write.Parameters.AddWithValue("$name", to.Name);
        write.Parameters.AddWithValue("$json", definition.ToJsonString());
        Assert.True(await write.ExecuteNonQueryAsync().WaitAsync(InProcessAgent.Patience) >= 2);
    }
}
