using Microsoft.AspNetCore.SignalR;
using Tracefleet.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Tracefleet.EndToEnd.Live;

/// <summary>
/// <c>JoinHost</c> called over and over cannot grow the server: each connection joins at most
/// <c>Live:MaxHostsPerConnection</c> (64) hosts, later joins are refused with a message saying so, and names no agent
/// could report under are refused before anything is kept.
/// </summary>
public sealed class HubJoinLimitTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Connections = 4;
    private const int JoinsPerConnection = 10_000;
    private const int Cap = 64;
    private const double MemoryGrowthAllowedMb = 30;

    [Fact]
    public async Task JoinHost_TenThousandNamesOnEachOfFourConnections_RefusedPastTheCapServerMemoryBounded()
    {
        var listeners = new List<LiveListener>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                listeners.Add(await LiveListener.ConnectAsync(fixture.Server.WebUrl));
            }

            // The join path compiled, and the garbage collector's heaps sized for it, before "before".
            await using (var warmUp = await LiveListener.ConnectAsync(fixture.Server.WebUrl))
            {
                await JoinManyAsync(warmUp, -1, 2_000);
            }

            var rssBefore = ProcessMemory.RssMb(fixture.Server.ProcessId);

            var results = await Task.WhenAll(listeners.Select((listener, i) => JoinManyAsync(listener, i, JoinsPerConnection)));
            var rssAfter = ProcessMemory.RssMb(fixture.Server.ProcessId);
            output.WriteLine($"{Connections} connections × {JoinsPerConnection} joins: accepted {string.Join(", ", results.Select(r => r.Accepted))}; "
                + $"server RSS {rssBefore:F0} MB before, {rssAfter:F0} MB after");

            Assert.All(results, r => Assert.Equal((Cap, JoinsPerConnection - Cap), (r.Accepted, r.Refused.Count)));
            // The .NET client puts the server's words after "HubException: ".
            Assert.All(results.SelectMany(r => r.Refused).Distinct(), message => Assert.EndsWith(
                $"HubException: This connection has joined {Cap} hosts, the most one connection may (Live:MaxHostsPerConnection); leave one (LeaveHost) before joining another.",
                message, StringComparison.Ordinal));
            Assert.True(rssAfter - rssBefore <= MemoryGrowthAllowedMb, $"server RSS grew from {rssBefore:F0} MB to {rssAfter:F0} MB");
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task JoinHost_LeaveOneAtTheCap_NextJoinAcceptedAndItsSnapshotsArrive()
    {
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);
        var prefix = $"join-cap-{Guid.NewGuid():N}";
        for (var i = 0; i < Cap; i++)
        {
            await listener.JoinHostAsync($"{prefix}-{i}");
        }

        var last = $"{prefix}-last";
        await Assert.ThrowsAsync<HubException>(() => listener.JoinHostAsync(last));
        await listener.LeaveHostAsync($"{prefix}-0");
        await listener.JoinHostAsync(last);

        var run = await AgentRun.RunAsync(
            ["--server", fixture.Server.IngestUrl.ToString(), "--host", last, "--os", "linux", "--speed", "0", "--once", "--replay", RepoPaths.Capture("linux-stap-pfstat.txt")],
            TimeSpan.FromSeconds(90));

        Assert.True(run.ExitCode == 0, run.ToString());
        await LiveListener.WaitUntilAsync(() => listener.Snapshots.Any(s => s.Snapshot.Host == last), TimeSpan.FromSeconds(30), $"a snapshot of {last}");
    }

    [Theory]
    [InlineData("", "a host name is 1 to 253 characters long")]
    [InlineData("web-01\n2026-11-26 INFO forged line", "a host name holds no control characters")]
    public async Task JoinHost_NameNoAgentMayReportUnder_RefusedSayingWhy(string host, string why)
    {
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);

        var refused = await Assert.ThrowsAsync<HubException>(() => listener.JoinHostAsync(host));

        Assert.EndsWith($"HubException: Not a host name: {why}.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinHost_NameLongerThan253Characters_Refused()
    {
        await using var listener = await LiveListener.ConnectAsync(fixture.Server.WebUrl);

        var refused = await Assert.ThrowsAsync<HubException>(() => listener.JoinHostAsync(new string('a', 254)));

        Assert.EndsWith("HubException: Not a host name: a host name is 1 to 253 characters long.", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Accepted, List<string> Refused)> JoinManyAsync(LiveListener listener, int index, int joins)
    {
        var (accepted, refused) = (0, new List<string>());
        for (var i = 0; i < joins; i++)
        {
            try
            {
                await listener.JoinHostAsync($"join-{index}-{i:D5}-{new string('x', 200)}");
                accepted++;
            }
            catch (HubException e)
            {
                refused.Add(e.Message);
            }
        }

        return (accepted, refused);
    }
}
