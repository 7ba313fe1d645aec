using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// One host in depth: the live top table of one probe (the latest stored snapshot, then each one the
/// hub pushes), a key's trend, and the probes' status. URL: <c>/host?host=NAME&amp;probe=kmem&amp;sort=net&amp;key=K</c>.
/// </summary>
public sealed partial class HostPage : IDisposable
{
    private const int TrendMinutes = 5;

    /// <summary>At most four renders a second from live snapshots, however fast they come (a backlog replays at any speed).</summary>
    private static readonly TimeSpan LiveRenderInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, LatestSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly List<DateTime> _unshown = [];
    private readonly Coalescer _marksReload;
    private readonly Coalescer _liveRender;
    private string? _joined;
    private HostDetail? _detail;
    private List<ChartPoint>? _trendPoints;
    private IReadOnlyList<ChartLine>? _trend;
    private string? _trendOf;
    private string? _problem;
    private IReadOnlyList<AlertBand>? _firings;
    private string? _firingsProblem;
    private readonly RulesOnProbe _rulesOnProbe = new();
    private bool _disposed;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [Inject]
    private LatencyLog Latency { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "host")]
    public string? HostName { get; set; }

    [SupplyParameterFromQuery(Name = "probe")]
    public string? ProbeName { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "key")]
    public string? Key { get; set; }

    private ProbeDefinition Definition => ProbeChoice.Of(ProbeName);

    private string Probe => Definition.Name;

    private LatestSnapshot? Current => _latest.GetValueOrDefault(Probe);

    public HostPage()
    {
        _marksReload = new Coalescer(ReloadMarksAsync, TimeSpan.FromSeconds(1));
        _liveRender = new Coalescer(() => InvokeAsync(() =>
        {
            if (!_disposed)
            {
                StateHasChanged();
            }
        }), LiveRenderInterval);
    }

    protected override void OnInitialized()
    {
        Live.SnapshotReceived += OnSnapshot;
        Live.AlertReceived += OnAlert;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (HostName != _joined)
        {
            if (_joined is not null)
            {
                await Live.LeaveHostAsync(_joined);
            }

            _latest.Clear();
            _detail = null;
            _joined = HostName;
            if (HostName is { Length: > 0 })
            {
                await Live.JoinHostAsync(HostName);
                await LoadHostAsync(HostName);
            }
        }

        var trendOf = $"{HostName}\n{Probe}\n{Key}";
        if (HostName is { Length: > 0 } && _trendOf != trendOf)
        {
            _trendOf = trendOf;
            await LoadTrendAsync(HostName);
        }
    }

    private async Task LoadHostAsync(string host)
    {
        try
        {
            _detail = await Api.HostAsync(host);
            foreach (var probe in ProbeCatalogue.All)
            {
                // A live snapshot may have arrived while this loaded; it is newer, keep it.
                if (await Api.LatestAsync(host, probe.Name) is { } latest && !_latest.ContainsKey(probe.Name))
                {
                    _latest[probe.Name] = latest;
                }
            }

            _problem = null;
        }
        catch (HttpRequestException e)
        {
            _problem = e.StatusCode == System.Net.HttpStatusCode.NotFound ? $"no host named \"{host}\" has reported to this server." : e.Message;
        }
    }

    private async Task LoadTrendAsync(string host)
    {
        _trend = null;
        _trendPoints = null;
        _firings = null;
        if (Key is null)
        {
            return;
        }

        try
        {
            var series = await Api.SeriesAsync(Probe, TrendRange(), [host], [Key], "1s");
            _trendPoints = [.. series?.Series.SelectMany(s => s.Points).Select(p => new ChartPoint(p.T, p.ValueOf(Definition.RankedBy) ?? 0)) ?? []];
            _trend = [new ChartLine(Key, _trendPoints)];
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }

        await LoadFiringsAsync(host);
    }

    /// <summary>This host's alerts of this probe's rules over the trend's minutes, marked on the trend.</summary>
    private async Task LoadFiringsAsync(string host)
    {
        try
        {
            var range = TrendRange();
            var changes = await AlertMarks.LoadAsync(Api, range, [host], await _rulesOnProbe.ForAsync(Api, Probe));
            (_firings, _firingsProblem) = (AlertBands.Of(changes, range.From!.Value, range.To!.Value), null);
        }
        catch (HttpRequestException e)
        {
            (_firings, _firingsProblem) = (null, e.Message);
        }
    }

    /// <summary>The trend's minutes, to a second past now.</summary>
    private static TimeRangeSpec TrendRange() => new(null, DateTime.UtcNow.AddMinutes(-TrendMinutes), DateTime.UtcNow.AddSeconds(1));

    /// <summary>An alert on this host changed: its marks are read again, at most once a second however many change.</summary>
    private void OnAlert(LiveAlert alert)
    {
        if (alert.Host == HostName)
        {
            _ = _marksReload.RequestAsync();
        }
    }

    private Task ReloadMarksAsync() => InvokeAsync(async () =>
    {
        if (!_disposed && HostName is { Length: > 0 } host && Key is not null)
        {
            await LoadFiringsAsync(host);
            StateHasChanged();
        }
    });

    private void OnSnapshot(LiveSnapshot snapshot) => _ = InvokeAsync(() =>
    {
        // A probe this UI does not know has no columns to show.
        if (snapshot.Host != HostName || ProbeCatalogue.Find(snapshot.Probe) is not { } probe)
        {
            return;
        }

        // The hub's rows become the rows the API's latest snapshot has: the table shows either the same way.
        _latest[snapshot.Probe] = new LatestSnapshot(snapshot.Host, snapshot.Probe, snapshot.Start, snapshot.DurationMs, (long)snapshot.Sequence,
            [.. snapshot.Rows.Select(r => FleetTopRow.Of(probe, r.Key, r.ValuesOf(probe), 1))]);
        // Another probe's snapshot is kept for when it is chosen; nothing on screen changes, so nothing renders.
        if (snapshot.Probe != Probe)
        {
            return;
        }

        if (Key is not null && _trendPoints is not null)
        {
            var value = snapshot.Rows.FirstOrDefault(r => r.Key == Key)?.ValueOf(probe.RankedBy) ?? 0;
            _trendPoints.Add(new ChartPoint(snapshot.Start, value));
            // The trend shows its last minutes only: what falls out of them goes, so a tab left open holds a bounded list.
            var from = snapshot.Start.AddMinutes(-TrendMinutes);
            _trendPoints.RemoveAll(p => p.T < from);
            _trend = [new ChartLine(Key, [.. _trendPoints])];
        }

        _unshown.Add(snapshot.ReceivedAt);
        _ = _liveRender.RequestAsync();
    });

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The snapshot is in the DOM now: that is "shown" for the latency figure.
        if (_unshown.Count > 0)
        {
            var now = DateTime.UtcNow;
            var received = _unshown.ToList();
            _unshown.Clear();
            foreach (var at in received)
            {
                await Latency.RecordAsync(at, now);
            }
        }
    }

    /// <summary>When this probe's table is empty because the server refused its snapshots: say so, with the server's reason.</summary>
    private string? RefusedNote() =>
        _detail?.Probes.FirstOrDefault(p => p.Name == Probe) is { RejectedSnapshots: > 0, LastRejection: { Length: > 0 } reason } probe
            ? $"No rows stored: the server refused {probe.RejectedSnapshots} of this probe's snapshots (kept in the agent's rejected/ folder). The last: {reason}"
            : null;

    /// <summary>"1.2 s ahead of the server", "3600.0 s behind the server", "in step with the server" below a tenth of a second.</summary>
    internal static string ClockText(double offsetSeconds) =>
        Math.Abs(offsetSeconds) < 0.1 ? "in step with the server"
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(offsetSeconds):F1} s {(offsetSeconds > 0 ? "ahead of" : "behind")} the server");

    /// <summary>Why this probe's table has an "(other)" row it would not have otherwise: the host's key budget was full in the last hour.</summary>
    private string? FoldedNote()
    {
        var probe = _detail?.Probes.FirstOrDefault(p => p.Name == Probe);
        if (probe is not { KeysFoldedLastHour: > 0 })
        {
            return null;
        }

        var invariant = CultureInfo.InvariantCulture;
        var budget = probe.KeyBudget > 0 ? $" ({probe.KeyBudget.ToString("N0", invariant)})" : "";
        return $"{probe.KeysFoldedLastHour.ToString("N0", invariant)} keys folded into (other) in the last hour "
            + $"({probe.KeysFolded.ToString("N0", invariant)} since the server started): this host has more distinct keys than "
            + $"Limits:MaxKeysPerHost{budget}; the least busy are summed into (other), totals stay exact.";
    }

    private string Link(string probe, string? key) => Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
    {
        ["probe"] = probe,
        ["key"] = key,
    });

    private void SortChangedAsync(string column) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("sort", column), replace: true);

    private void KeySelected(string key) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("key", key));

    public void Dispose()
    {
        _disposed = true;
        Live.SnapshotReceived -= OnSnapshot;
        Live.AlertReceived -= OnAlert;
        if (_joined is not null)
        {
            _ = Live.LeaveHostAsync(_joined);
        }
    }

    /// <summary>What the host runs, each fact once it is known: a replaying agent reports no kernel.</summary>
    internal static IEnumerable<string> Facts(HostDetail detail) =>
        FactLine.Parts(detail.Os, detail.Kernel, FactLine.Labelled("backend", detail.Backend), FactLine.Labelled("agent", detail.AgentVersion));

}
