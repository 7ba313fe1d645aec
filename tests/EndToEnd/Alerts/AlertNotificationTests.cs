using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Tracefleet.EndToEnd.Infrastructure;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Alerts;

/// <summary>
/// Alert rules from a rules file, evaluated by a real server on snapshots a real agent replays, told to a signed
/// webhook on loopback and to Debian's Alertmanager: fired, kept across a restart without a second notice, resolved;
/// and a backlog that fired and resolved long ago goes into history without telling anyone.
/// </summary>
public sealed class AlertNotificationTests : IAsyncLifetime
{
    private const string Secret = "webhook-secret-of-the-test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _host = $"alert-{Guid.NewGuid():N}"[..20];
    private readonly List<string> _files = [];
    private LoopbackWebhook _webhook = null!;
    private AlertmanagerServer _alertmanager = null!;
    private ServerProcess _server = null!;
    private Dictionary<string, string> _settings = [];

    public async Task InitializeAsync()
    {
        _webhook = await LoopbackWebhook.StartAsync();
        _alertmanager = await AlertmanagerServer.StartAsync(Patience);
        var rules = Path.Combine(Path.GetTempPath(), $"tracefleet-rules-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(rules, """
            rules:
              - name: libc-fault-storm
                probe: pagefaults
                column: faults
                key: "*libc*"
                hosts: "alert-*"
                above: 1000
                window: 2s
                severity: warning
                labels: { team: storage }
                annotations: { summary: "{{host}} faults on {{key}} at {{value}}/s" }
            """);
        _files.Add(rules);
        _settings = new()
        {
            ["Alerts:RulesFile"] = rules,
            ["Alerts:Webhooks:0:Name"] = "test-hook",
            ["Alerts:Webhooks:0:Url"] = _webhook.Url.ToString(),
            ["Alerts:Webhooks:0:Secret"] = Secret,
            ["Alerts:Alertmanager:Url"] = _alertmanager.Url.ToString(),
            ["Alerts:HostSilentAfterSeconds"] = "0",
        };
        _server = await ServerProcess.StartAsync(_settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _alertmanager.DisposeAsync();
        await _webhook.DisposeAsync();
        _files.ForEach(File.Delete);
    }

    /// <summary>Replays one pfstat interval per value (libc's faults, beside a quiet file), stamped in the seconds just past.</summary>
    private async Task ReplayAsync(params long[] libcFaults)
    {
        var capture = TempCaptures.Intervals(libcFaults.Select(f => new[] { ("/usr/lib/x86_64-linux-gnu/libc.so.6", f), ("/usr/bin/bash", 3L) }));
        _files.Add(capture);
        var run = await AgentRun.RunAsync(["--server", _server.IngestUrl.ToString(), "--host", _host, "--replay", capture, "--once", "--speed", "0"], Patience);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private async Task<JsonElement> NextPostAsync()
    {
        var (answered, body, signature) = (await _webhook.NextAsync(1, Patience))[0];
        Assert.Equal(200, answered);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(body)), signature);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    private async Task<List<JsonElement>> HistoryAsync(int atLeast) =>
        await Poll.UntilAsync(
            async () => await _server.GetAsync<List<JsonElement>>($"/api/alerts/history?host={_host}"),
            history => history.Count >= atLeast,
            Patience);

    [Fact]
    public async Task ReplayCrossingTheThreshold_FiresOnceAcrossARestart_ThenResolves()
    {
        await ReplayAsync(50, 50, 50, 5000, 5000, 5000, 5000, 5000, 5000);

        var firing = await NextPostAsync();
        Assert.Equal(("4", "firing", "test-hook"), (firing.GetProperty("version").GetString(), firing.GetProperty("status").GetString(), firing.GetProperty("receiver").GetString()));
        var alert = firing.GetProperty("alerts")[0];
        Assert.Equal(
            ("libc-fault-storm", _host, "/usr/lib/x86_64-linux-gnu/libc.so.6", "storage", "warning"),
            (alert.GetProperty("labels").GetProperty("alertname").GetString(), alert.GetProperty("labels").GetProperty("host").GetString(),
             alert.GetProperty("labels").GetProperty("key").GetString(), alert.GetProperty("labels").GetProperty("team").GetString(),
             alert.GetProperty("labels").GetProperty("severity").GetString()));
        Assert.Equal($"{_host} faults on /usr/lib/x86_64-linux-gnu/libc.so.6 at 2,525/s", alert.GetProperty("annotations").GetProperty("summary").GetString());

        // Alertmanager holds it, with the rule's labels.
        var held = await Poll.UntilAsync(
            async () => (await _alertmanager.AlertsAsync()).Where(a => a.GetProperty("labels").GetProperty("host").GetString() == _host).ToList(),
            alerts => alerts.Count == 1,
            Patience);
        Assert.Equal("storage", held[0].GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("libc-fault-storm", held[0].GetProperty("labels").GetProperty("alertname").GetString());

        // Restarted while it fires (once the server has recorded it: its transition and kept state are stored together):
        // the alert is restored as firing, and more data above the threshold sends nothing new.
        await HistoryAsync(1);
        _server.Kill();
        await _server.RestartAsync(_settings);
        var now = await _server.GetAsync<List<JsonElement>>("/api/alerts");
        Assert.Contains(now, a => a.GetProperty("host").GetString() == _host && a.GetProperty("state").GetString() == "firing");
        await ReplayAsync(5000, 5000, 5000, 5000);
        // A replay stamps its intervals in the seconds before it starts: wait them out, so the next one follows this one.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await ReplayAsync(10, 10, 10, 10);

        // The next post after the firing one is its resolution: no second firing notice went out in between.
        var resolved = await NextPostAsync();
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(alert.GetProperty("fingerprint").GetString(), resolved.GetProperty("alerts")[0].GetProperty("fingerprint").GetString());
        Assert.Equal(alert.GetProperty("startsAt").GetString(), resolved.GetProperty("alerts")[0].GetProperty("startsAt").GetString());

        var history = await HistoryAsync(2);
        Assert.Equal(["firing", "resolved"], history.Select(t => t.GetProperty("to").GetString()).Reverse());
        Assert.All(history, t => Assert.True(t.GetProperty("notified").GetBoolean()));
        await Poll.UntilAsync(
            async () => (await _alertmanager.AlertsAsync()).Count(a => a.GetProperty("labels").GetProperty("host").GetString() == _host),
            count => count == 0,
            Patience);
    }

    [Fact]
    public async Task BacklogThatFiredAndResolvedLongAgo_IsHistoryWithoutNotices()
    {
        // Stamped over the last 70 s: the burst fired and ended more than 30 s (Alerts:LateAfterSeconds) before it arrived.
        await ReplayAsync([5000, 5000, 5000, 5000, .. Enumerable.Repeat(10L, 66)]);

        var history = await HistoryAsync(2);
        var top = await _server.GetAsync<JsonElement>($"/api/hosts/{_host}");
        Assert.True(history.Count == 2, $"{top}\n{_server.Output}");
        Assert.Equal(["firing", "resolved"], history.Select(t => t.GetProperty("to").GetString()).Reverse());
        Assert.All(history, t => Assert.False(t.GetProperty("notified").GetBoolean()));

        // The notice would have been queued before the transition was stored; give delivery a moment to show it did not happen.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(_webhook.Received.Reader.TryRead(out _), "a backlog sent a webhook");
        var deliveries = await _server.GetAsync<List<JsonElement>>("/api/alerts/deliveries");
        Assert.Empty(deliveries);
    }

    [Fact]
    public async Task RulesTestCommand_OverTheStoredHistory_PrintsWhenTheRuleWouldHaveFired()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await ReplayAsync(50, 50, 5000, 5000, 5000, 10, 10, 10);
        await HistoryAsync(2);

        var run = await Cli.Wrap(RepoPaths.Server)
            .WithArguments(["rules", "test", _settings["Alerts:RulesFile"], "--from", from.ToString("O"), "--fail-on-firing", $"--Storage:Path={_server.DatabasePath}"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(new CancellationTokenSource(Patience).Token);

        Assert.True(run.ExitCode == 3, $"exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        Assert.Contains("libc-fault-storm: 1 firing", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{_host}\t/usr/lib/x86_64-linux-gnu/libc.so.6\t", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("peak 5,000/s", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesTestCommand_NameUsedTwiceInTheFile_ExitsOneNamingIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tracefleet-rules-{Guid.NewGuid():N}.yaml");
        _files.Add(file);
        await File.WriteAllTextAsync(file, "rules:\n  - { name: twice, probe: kmem, column: net, above: 1 }\n  - { name: twice, probe: kmem, column: net, above: 2 }\n");

        var run = await Cli.Wrap(RepoPaths.Server)
            .WithArguments(["rules", "test", file, $"--Storage:Path={_server.DatabasePath}"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(new CancellationTokenSource(Patience).Token);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        Assert.Contains("twice: 0 firings", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("twice: not valid\n  name: used by an earlier rule of the file", run.StandardOutput, StringComparison.Ordinal);
    }
}
