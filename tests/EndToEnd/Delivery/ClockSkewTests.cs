using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Delivery;

/// <summary>
/// Agents whose clock is wrong, run under Debian's <c>faketime</c>: a snapshot stamped too far ahead is refused on its
/// own and the rest flows; every agent's clock offset is measured and shown (API, /metrics, the log); and "latest"
/// follows the agent once its clock is put right, not the future it stamped before.
/// </summary>
public sealed partial class ClockSkewTests : IClassFixture<ServerFixture>, IDisposable
{
    private const string Kmem = "linux-stap-kmemstat.txt";
    private const string OtherKmem = "solaris-dtrace-kmemstat.txt";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ServerProcess _server;
    private readonly string _tracers = Directory.CreateTempSubdirectory("tracefleet-fake-stap-").FullName;

    public ClockSkewTests(ServerFixture fixture)
    {
        _server = fixture.Server;
        // A SystemTap stand-in (no SystemTap module can load here): one kmem table a second, for ever.
        var stap = Path.Combine(_tracers, "stap");
        File.WriteAllText(stap, "#!/bin/sh\nwhile :; do printf '  ALLOCS    FREES SLAB\\n       3        2 dentry\\n'; sleep 1; done\n");
        File.SetUnixFileMode(stap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task SpooledWhileTheClockWasAnHourAhead_ThenFixed_FutureSnapshotsRefusedAloneTheRestDelivered()
    {
        var host = $"future-{Guid.NewGuid():N}";
        var stateDir = Directory.CreateTempSubdirectory("tracefleet-state-").FullName;
        var nowhere = $"http://127.0.0.1:{LoopbackPort.Next()}";
        await using (var ahead = Faked("+1h", ["--server", nowhere, "--host", host, "--state-dir", stateDir, "--speed", "0", "--replay", RepoPaths.Capture(Kmem)]))
        {
            Assert.True(await Poll.TrueAsync(() => ahead.Output.Contains("Replay queued all 12", StringComparison.Ordinal), Patience), ahead.Output);
            ahead.Kill();
        }

        // NTP put the clock right; the spool still holds twelve snapshots stamped an hour ahead, first in the queue.
        var fixedRun = await AgentRun.RunAsync(
            ["--server", _server.IngestUrl.ToString(), "--host", host, "--state-dir", stateDir, "--speed", "0", "--once", "--replay", RepoPaths.Capture(OtherKmem)],
            TimeSpan.FromSeconds(120));

        Assert.True(fixedRun.ExitCode == 1, fixedRun.ToString());
        Assert.Contains("the server refused 12 snapshots", fixedRun.StandardError, StringComparison.Ordinal);
        Assert.Contains("ahead of the server's clock", fixedRun.StandardError, StringComparison.Ordinal);
        await ApiTotals.AssertKmemAsync(_server, host, TempCaptures.Times(OtherKmem, 1));
        var rejected = Path.Combine(stateDir, "rejected");
        Assert.Equal(12, Directory.GetFiles(rejected, "*.snap").Length);
        Assert.All(Directory.GetFiles(rejected, "*.reason"), f => Assert.Contains("ahead of the server's clock", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(stateDir, "spool")));
        var metrics = await _server.Http.GetStringAsync("/metrics");
        Assert.Contains($"tracefleet_snapshots_refused_total{{host=\"{host}\",probe=\"kmem\",reason=\"clock_ahead\"}} 12", metrics, StringComparison.Ordinal);
        // The agent's count comes in its probe status, which the server takes apart from the snapshots it acknowledged. (In loaded
        // runs it stayed 0 while the server counted all 12 refusals: the agent counted a refusal against its probe only for
        // a snapshot still in flight; the outbox now names the probe wherever it holds the snapshot.)
        var probe = await Poll.UntilAsync(
            async () => (await HostAsync(host)).GetProperty("probes").EnumerateArray().Single(),
            p => p.TryGetProperty("rejectedSnapshots", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt64() == 12, Patience);
        Assert.True(probe.GetProperty("rejectedSnapshots").GetInt64() == 12, $"{probe}\n{fixedRun}");
        Directory.Delete(stateDir, recursive: true);
    }

    [Fact]
    public async Task ClockFourMinutesAhead_OffsetShownAndWarned_LatestFollowsTheFix()
    {
        var host = $"ahead-{Guid.NewGuid():N}";
        await using (var ahead = Faked("+240s", Traced(host)))
        {
            var clock = await ClockAsync(host, c => c is { } offset && offset.Seconds > 200);
            Assert.True(clock is { Skewed: true } && clock.Value.Seconds is > 235 and < 241, $"clock {clock}\n{ahead.Output}");
            var metrics = await _server.Http.GetStringAsync("/metrics");
            var gauge = OffsetGauge().Match(metrics.Split('\n').Single(l => l.StartsWith($"tracefleet_agent_clock_offset_seconds{{host=\"{host}\"}}", StringComparison.Ordinal)));
            Assert.InRange(double.Parse(gauge.Groups[1].Value, CultureInfo.InvariantCulture), 235, 241);
            Assert.Contains($"The clock of {host} is", _server.Output, StringComparison.Ordinal);
            Assert.Contains("ahead of the server's", _server.Output, StringComparison.Ordinal);
            ahead.Kill();
        }

        // NTP fixed it: the same host's agent runs again with the right clock.
        await using var inStep = new ChildProcess(RepoPaths.Agent, Traced(host), WithFakeStap());
        var fixedClock = await ClockAsync(host, c => c is { } offset && Math.Abs(offset.Seconds) < 5);
        Assert.True(fixedClock is { Skewed: false }, $"clock {fixedClock}\n{inStep.Output}");
        var latest = await Poll.UntilAsync(
            () => _server.GetAsync<JsonElement>($"/api/hosts/{host}/latest?probe=kmem"),
            l => l.GetProperty("start").GetDateTime() < DateTime.UtcNow.AddSeconds(5),
            Patience);
        Assert.True(latest.GetProperty("start").GetDateTime() < DateTime.UtcNow.AddSeconds(5), $"latest still starts at {latest.GetProperty("start")}");
    }

    [Fact]
    public async Task ClockAnHourBehind_AcceptedOffsetShownAndWarned()
    {
        var host = $"behind-{Guid.NewGuid():N}";
        await using var behind = Faked("-1h", Traced(host));

        var clock = await ClockAsync(host, c => c is { } offset && offset.Seconds < -3000);

        Assert.True(clock is { Skewed: true } && clock.Value.Seconds is > -3601 and < -3595, $"clock {clock}\n{behind.Output}");
        Assert.Contains($"The clock of {host} is", _server.Output, StringComparison.Ordinal);
        Assert.Contains("behind the server's", _server.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_tracers, recursive: true);

    private string[] Traced(string host) => ["--server", _server.IngestUrl.ToString(), "--host", host, "--backend", "stap", "--probes", "kmem"];

    private Dictionary<string, string> WithFakeStap() => new() { ["PATH"] = $"{_tracers}:{Environment.GetEnvironmentVariable("PATH")}" };

    /// <summary>The real agent under <c>faketime</c>, its clock shifted by <paramref name="offset"/> (children inherit it).</summary>
    private ChildProcess Faked(string offset, string[] arguments) =>
        new("faketime", ["-f", offset, RepoPaths.Agent, .. arguments], WithFakeStap());

    private async Task<JsonElement> HostAsync(string host) => await _server.GetAsync<JsonElement>($"/api/hosts/{host}");

    private async Task<(double Seconds, bool Skewed)?> ClockAsync(string host, Func<(double Seconds, bool Skewed)?, bool> done) =>
        await Poll.UntilAsync(
            async () =>
            {
                using var response = await _server.Http.GetAsync($"/api/hosts/{host}");
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                var clock = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("clock");
                return clock.ValueKind == JsonValueKind.Null
                    ? ((double, bool)?)null
                    : (clock.GetProperty("offsetSeconds").GetDouble(), clock.GetProperty("skewed").GetBoolean());
            },
            done,
            Patience);

    [GeneratedRegex(@"\} ([-0-9.e+]+)$")]
    private static partial Regex OffsetGauge();
}
