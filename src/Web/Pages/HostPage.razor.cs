using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// One host in depth over a range (last 15 minutes by default): its totals of one probe per second, the top table of the
/// latest second (the latest stored snapshot, then each one the hub pushes) or of the range, a key's trend, and the
/// probes' status. A range that ends now is live: each snapshot the hub pushes is added to the charts.
/// URL: <c>/host?host=NAME&amp;probe=kmem&amp;range=1h</c> (or <c>from=</c>/<c>to=</c>) <c>&amp;table=range&amp;sort=net&amp;key=K</c>.
/// </summary>
public sealed partial class HostPage : RangePage, IDisposable
{
    /// <summary>The <c>table=</c> value that shows the range's top keys instead of the latest second's.</summary>
    public const string RangeTable = "range";

    /// <summary>Points a chart of the range has, about: the step is the range's span divided by this.</summary>
    private const int ChartPoints = 120;

    /// <summary>Keys the range's table lists.</summary>
    private const int RangeTableKeys = 50;

    /// <summary>Host events read for a range, at most (the charts mark the first <see cref="TrendChart.MaxMarkedEvents"/>).</summary>
    private const int MaxEvents = 200;

    /// <summary>
    /// A probe's snapshots resuming after this long a silence say something happened to the host (its agent reconnected, the
    /// probe restarted): its events are read again.
    /// </summary>
    private static readonly TimeSpan EventGap = TimeSpan.FromSeconds(3);

    /// <summary>A live range's events are also read again this often, for what leaves no gap in the data (a probe that failed).</summary>
    private static readonly TimeSpan EventsRefresh = TimeSpan.FromSeconds(30);

    /// <summary>At most four renders a second from live snapshots, however fast they come (a backlog replays at any speed).</summary>
    private static readonly TimeSpan LiveRenderInterval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, LatestSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly List<DateTime> _unshown = [];
    private readonly Coalescer _marksReload;
    private readonly Coalescer _eventsReload;
    private readonly Dictionary<string, DateTime> _lastStart = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Coalescer _liveRender;
    private string? _joined;
    private HostDetail? _detail;
    private (string Host, string Probe, TimeRangeSpec Range)? _rangeOf;
    private (DateTime From, DateTime To) _resolved;
    private RateBuckets? _totals;
    private IReadOnlyList<ChartLine>? _totalsLines;
    private string? _totalsProblem;
    private RateBuckets? _trendBuckets;
    private IReadOnlyList<ChartLine>? _trend;
    private ((string Host, string Probe, TimeRangeSpec Range) Range, string? Key)? _trendOf;
    private (string Host, string Probe, TimeRangeSpec Range)? _rangeTopOf;
    private IReadOnlyList<FleetTopRow>? _rangeTop;
    private DateTime _rangeTopAt;
    private string? _rangeTopProblem;
    private bool _chartsChanged;
    private string? _problem;
    private IReadOnlyList<AlertBand>? _firings;
    private IReadOnlyList<ChartEvent>? _events;
    private string? _firingsProblem;
    private readonly RulesOnProbe _rulesOnProbe = new();
    private bool _disposed;

    /// <summary>When the live render under way began (<see cref="Stopwatch.GetTimestamp"/>), 0 when none is.</summary>
    private long _liveRenderStarted;

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [Inject]
    private LatencyLog Latency { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "host")]
    public string? HostName { get; set; }

    [SupplyParameterFromQuery(Name = "probe")]
    public string? ProbeName { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "key")]
    public string? Key { get; set; }

    /// <summary><see cref="RangeTable"/>: the table lists the range's top keys; anything else, the latest second's.</summary>
    [SupplyParameterFromQuery(Name = "table")]
    public string? TableSource { get; set; }

    /// <summary>A range that ends now: the charts take each new snapshot.</summary>
    private bool IsLive => Range.IsRelative;

    private bool ByRange => TableSource == RangeTable;

    /// <summary>The range as resolved when it was chosen: what the charts and the range's table were read for.</summary>
    private TimeRangeSpec Shown => new(null, _resolved.From, _resolved.To);

    /// <summary>The probe of <c>probe=</c>; without one, the first the host runs (a host of learnt probes only opens on one of them).</summary>
    private ProbeDefinition Definition =>
        ProbeCatalogue.Find(ProbeName)
        ?? _detail?.Probes.Where(p => p.Variant != ProbeVariants.NotRunning).Select(p => ProbeCatalogue.Find(p.Name)).FirstOrDefault(d => d is not null)
        ?? ProbeChoice.Of(ProbeName);

    private string Probe => Definition.Name;

    private LatestSnapshot? Current => _latest.GetValueOrDefault(Probe);

    private IReadOnlyList<FleetTopRow>? TableRows => ByRange ? _rangeTop : Current?.Rows;

    public HostPage()
    {
        _marksReload = new Coalescer(ReloadMarksAsync, TimeSpan.FromSeconds(1));
        _eventsReload = new Coalescer(() => InvokeAsync(async () => { await ReloadEventsAsync(); StateHasChanged(); }), TimeSpan.FromSeconds(1));
        _liveRender = new Coalescer(() => InvokeAsync(() =>
        {
            if (!_disposed)
            {
                _liveRenderStarted = Stopwatch.GetTimestamp();
                RedrawCharts();
                StateHasChanged();
            }
        }), LiveRenderInterval);
    }

    protected override void OnInitialized()
    {
        Live.SnapshotReceived += OnSnapshot;
        Live.AlertReceived += OnAlert;
        _ = RefreshWhileLiveAsync(EventsRefresh, ReloadEventsAsync, _stop.Token);
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
            _lastStart.Clear();
            _detail = null;
            _joined = HostName;
            if (HostName is { Length: > 0 })
            {
                await Live.JoinHostAsync(HostName);
                await LoadHostAsync(HostName);
            }
        }

        if (HostName is not { Length: > 0 } host)
        {
            return;
        }

        var rangeOf = (host, Probe, Range);
        if (_rangeOf != rangeOf)
        {
            // A new range (or host, or probe) is resolved once: the charts and the range's table all cover the same span.
            _rangeOf = rangeOf;
            _resolved = Range.Resolve(DateTime.UtcNow);
            await LoadTotalsAsync(host);
        }

        if (_trendOf != (rangeOf, Key))
        {
            _trendOf = (rangeOf, Key);
            ResolveLiveRange();
            await LoadTrendAsync(host);
        }

        if (ByRange && _rangeTopOf != rangeOf)
        {
            _rangeTopOf = rangeOf;
            ResolveLiveRange();
            await LoadRangeTopAsync(host);
        }
    }

    /// <summary>
    /// A range that ends now has moved on since the page resolved it (the live totals moved with it): a trend or a table
    /// read later covers the range as it is now, not as it was when the page opened.
    /// </summary>
    private void ResolveLiveRange()
    {
        if (Range.IsRelative)
        {
            _resolved = Range.Resolve(DateTime.UtcNow);
        }
    }

    /// <summary>Step of the range's charts: about <see cref="ChartPoints"/> of them, a second at least.</summary>
    private string ChartStep() => Shown.Step(_resolved.To, ChartPoints);

    /// <summary>The host's totals of the probe over the range, all keys summed (<c>/api/series</c> without <c>key=</c>).</summary>
    private async Task LoadTotalsAsync(string host)
    {
        (_totals, _totalsLines, _totalsProblem) = (null, null, null);
        try
        {
            var answer = await Api.SeriesAsync(Probe, Shown, [host], [], ChartStep());
            _totals = answer is null ? null : RateBuckets.Of(answer, Definition, s => s.Key is null);
            _totalsLines = _totals?.LinesOf(Definition) ?? [];
        }
        catch (HttpRequestException e)
        {
            _totalsProblem = e.Message;
        }

        await LoadEventsAsync(host, Shown);
    }

    /// <summary>The events of a live range again, up to now: what happened since the page read them.</summary>
    private async Task ReloadEventsAsync()
    {
        if (!_disposed && IsLive && HostName is { Length: > 0 } host && _totals is not null)
        {
            await LoadEventsAsync(host, Range);
        }
    }

    /// <summary>The host's events over <paramref name="range"/> (reconnects, probes' failures), marked on its charts; none when they cannot be read.</summary>
    private async Task LoadEventsAsync(string host, TimeRangeSpec range)
    {
        try
        {
            var events = await Api.HostEventsAsync(host, range, MaxEvents);
            _events = events?.Select(e => ChartEvent.Of(e)).ToList();
        }
        catch (HttpRequestException)
        {
            // The charts stand without them; the totals' own problem, if any, says why the server cannot be read.
            _events = null;
        }
    }

    /// <summary>The range's busiest keys on this host (<c>/api/fleet/top</c> of this host alone): sums over the range.</summary>
    private async Task LoadRangeTopAsync(string host)
    {
        (_rangeTop, _rangeTopProblem) = (null, null);
        try
        {
            _rangeTopAt = DateTime.UtcNow;
            _rangeTop = await Api.FleetTopAsync(Probe, Shown, [host], RangeTableKeys) ?? [];
        }
        catch (HttpRequestException e)
        {
            (_rangeTop, _rangeTopProblem) = ([], e.Message);
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
        _trendBuckets = null;
        _firings = null;
        if (Key is null)
        {
            return;
        }

        try
        {
            var key = Key;
            var answer = await Api.SeriesAsync(Probe, Shown, [host], [key], ChartStep());
            _trendBuckets = answer is null ? null : RateBuckets.Of(answer, Definition, s => s.Key == key);
            _trend = TrendLines();
        }
        catch (HttpRequestException e)
        {
            _problem = e.Message;
        }

        await LoadFiringsAsync(host);
    }

    /// <summary>The key's rate per second of the probe's first column, the one tops rank by.</summary>
    private IReadOnlyList<ChartLine> TrendLines() =>
        _trendBuckets is null || Key is null ? [] : [new ChartLine($"{Key} · {Definition.RankedBy.Name}/s", _trendBuckets.Rates(0), _trendBuckets.Ranges(0))];

    /// <summary>This host's alerts of this probe's rules over the range, marked on the trend.</summary>
    private async Task LoadFiringsAsync(string host)
    {
        try
        {
            var changes = await AlertMarks.LoadAsync(Api, Shown, [host], await _rulesOnProbe.ForAsync(Api, Probe));
            (_firings, _firingsProblem) = (AlertBands.Of(changes, _resolved.From, _trendBuckets?.To ?? _resolved.To), null);
        }
        catch (HttpRequestException e)
        {
            (_firings, _firingsProblem) = (null, e.Message);
        }
    }

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

        if (_lastStart.TryGetValue(snapshot.Probe, out var last) && snapshot.Start - last > EventGap && IsLive)
        {
            _ = _eventsReload.RequestAsync();
        }

        _lastStart[snapshot.Probe] = snapshot.Start > last ? snapshot.Start : last;

        // The hub's rows become the rows the API's latest snapshot has: the table shows either the same way.
        _latest[snapshot.Probe] = new LatestSnapshot(snapshot.Host, snapshot.Probe, snapshot.Start, snapshot.DurationMs, (long)snapshot.Sequence,
            [.. snapshot.Rows.Select(r => FleetTopRow.Of(probe, r.Key, r.ValuesOf(probe), 1))]);
        // Another probe's snapshot is kept for when it is chosen; nothing on screen changes, so nothing renders.
        if (snapshot.Probe != Probe)
        {
            return;
        }

        if (IsLive)
        {
            var duration = TimeSpan.FromMilliseconds(snapshot.DurationMs);
            var totals = RateBuckets.Sum(snapshot.Rows.Select(r => r.ValuesOf(probe)), probe.ValueCount);
            _chartsChanged |= _totals?.Add(snapshot.Start, duration, totals) ?? false;
            if (Key is not null && _trendBuckets is not null)
            {
                // A second without the key is a zero in its trend, not a gap.
                var values = snapshot.Rows.FirstOrDefault(r => r.Key == Key)?.ValuesOf(probe) ?? new ulong[probe.ValueCount];
                _chartsChanged |= _trendBuckets.Add(snapshot.Start, duration, values);
            }
        }

        _unshown.Add(snapshot.ReceivedAt);
        _ = _liveRender.RequestAsync();
    });

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The charts' lines, the diff and the DOM update of one live render: what a page held open all day must not slow.
        if (_liveRenderStarted != 0)
        {
            var took = Stopwatch.GetElapsedTime(_liveRenderStarted);
            _liveRenderStarted = 0;
            await Latency.RenderedAsync(took);
        }

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

    /// <summary>The charts' lines from what live snapshots added since the last render: once per render, not once per snapshot.</summary>
    private void RedrawCharts()
    {
        if (!_chartsChanged)
        {
            return;
        }

        _chartsChanged = false;
        if (_totals is not null)
        {
            _totalsLines = _totals.LinesOf(Definition);
        }

        if (_trendBuckets is not null)
        {
            _trend = TrendLines();
        }
    }

    /// <summary>What the range's table lists: how many keys, summed over what, and when it was read.</summary>
    private string RangeTableNote() => string.Create(CultureInfo.InvariantCulture,
        $"top {RangeTableKeys} keys by {Definition.RankedBy.Name}, totals over {Range.Label} (sums over the range, not per second), read at {_rangeTopAt:HH:mm:ss} UTC");

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

    private void TableSourceChanged(string? source) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("table", source));

    private void SortChangedAsync(string column) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("sort", column), replace: true);

    private void KeySelected(string key) => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("key", key));

    public void Dispose()
    {
        _disposed = true;
        _stop.Cancel();
        _stop.Dispose();
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
