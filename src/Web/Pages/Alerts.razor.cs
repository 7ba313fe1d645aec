using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Pages;

/// <summary>
/// Alerts: those pending or firing now (<c>/api/alerts</c>, read again when the hub says an alert changed), their
/// history over a range (<c>/api/alerts/history</c>), the rules with a form to change and preview them, and the
/// silences. URL: <c>/alerts?range=24h&amp;rule=NAME&amp;host=HOST</c> (or <c>from=</c>/<c>to=</c>) filters the history.
/// </summary>
public sealed partial class Alerts : RangePage, IDisposable
{
    public const int HistoryLimit = 200;

    /// <summary>A burst of alert events (a fleet crossing a threshold at once) costs at most four reads and renders a second.</summary>
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);

    private readonly Coalescer _live;
    private IReadOnlyList<ActiveAlert>? _firing;
    private IReadOnlyList<AlertTransition>? _history;
    private IReadOnlyList<AlertRule>? _rules;
    private IReadOnlyList<Silence>? _silences;
    private List<string> _hosts = [];
    private AlertRule? _editing;
    private bool _formOpen;
    private string? _firingProblem;
    private string? _historyProblem;
    private string? _rulesProblem;
    private string? _silencesProblem;
    private string? _notice;
    private string? _rulesNotice;
    private bool _disposed;

    public Alerts() => _live = new Coalescer(OnLiveAsync, LiveInterval);

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    [Inject]
    private ILiveFeed Live { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "rule")]
    public string? RuleFilter { get; set; }

    [SupplyParameterFromQuery(Name = "host")]
    public string? HostFilter { get; set; }

    /// <summary>The history's range, when neither the URL nor the user's last choice names one: the last 24 hours.</summary>
    protected override TimeRangeSpec DefaultRange => DayRange;

    private static TimeRangeSpec DayRange { get; } = TimeRangeSpec.Parse("24h", null, null);

    private IEnumerable<string> RuleNames => (_rules ?? []).Select(r => r.Name).Append(RuleFilter ?? "").Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private IEnumerable<string> HostNames => _hosts.Append(HostFilter ?? "").Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    protected override async Task OnInitializedAsync()
    {
        // Subscribed before the first read: an alert that changes while it loads is read again, not missed.
        Live.AlertReceived += OnAlert;
        await Task.WhenAll(LoadFiringAsync(), LoadRulesAsync(), LoadSilencesAsync(), LoadHostsAsync());
    }

    protected override Task OnParametersSetAsync() => LoadHistoryAsync();

    private void OnAlert(LiveAlert alert) => _ = _live.RequestAsync();

    private Task OnLiveAsync() => InvokeAsync(async () =>
    {
        if (_disposed)
        {
            return;
        }

        await LoadFiringAsync();
        // A past absolute range does not change; a range up to now gains the change.
        if (Range.IsRelative)
        {
            await LoadHistoryAsync();
        }

        StateHasChanged();
    });

    private async Task LoadFiringAsync()
    {
        try
        {
            _firing = await Api.AlertsAsync() ?? [];
            _firingProblem = null;
        }
        catch (HttpRequestException e)
        {
            _firingProblem = e.Message;
        }
    }

    private async Task LoadHistoryAsync()
    {
        try
        {
            _history = await Api.AlertHistoryAsync(Range, RuleFilter, HostFilter, HistoryLimit) ?? [];
            _historyProblem = null;
        }
        catch (HttpRequestException e)
        {
            (_history, _historyProblem) = ([], e.Message);
        }
    }

    private async Task LoadRulesAsync()
    {
        try
        {
            _rules = [.. (await Api.RulesAsync() ?? []).OrderBy(r => r.Name, StringComparer.Ordinal)];
            _rulesProblem = null;
        }
        catch (HttpRequestException e)
        {
            (_rules, _rulesProblem) = ([], e.Message);
        }
    }

    private async Task LoadSilencesAsync()
    {
        try
        {
            _silences = await Api.SilencesAsync() ?? [];
            _silencesProblem = null;
        }
        catch (HttpRequestException e)
        {
            (_silences, _silencesProblem) = ([], e.Message);
        }
    }

    private async Task LoadHostsAsync()
    {
        try
        {
            _hosts = [.. (await Api.HostsAsync() ?? []).Select(h => h.Name)];
        }
        catch (HttpRequestException)
        {
            // The host filter then offers only what the URL names; the history still loads.
        }
    }

    /// <summary>
    /// Silences the row's rule, host and key, each matched exactly, for 2 hours. A host-wide alert has no key, and a glob
    /// cannot be empty: its silence leaves the key out (any), which the rule and host already narrow to it.
    /// </summary>
    private async Task SilenceAsync(ActiveAlert alert)
    {
        try
        {
            var key = alert.Key.Length == 0 ? null : NewSilence.Exactly(alert.Key);
            await Api.CreateSilenceAsync(new NewSilence(
                NewSilence.Exactly(alert.Rule), NewSilence.Exactly(alert.Host), key, null, "2h", $"silenced from the alerts page: {alert.Rule} on {alert.Host}"));
            _notice = $"Silenced {alert.Rule} · {AlertText.Key(alert.Key)} on {alert.Host} for 2 hours.";
            _firingProblem = null;
        }
        catch (HttpRequestException e)
        {
            (_notice, _firingProblem) = (null, e.Message);
        }

        await SilencesChangedAsync();
    }

    private async Task SilencesChangedAsync() => await Task.WhenAll(LoadSilencesAsync(), LoadFiringAsync());

    private void Edit(AlertRule rule) => (_editing, _formOpen, _rulesNotice) = (rule, true, null);

    private void NewRule() => (_editing, _formOpen, _rulesNotice) = (null, true, null);

    private async Task RuleSavedAsync(AlertRule saved)
    {
        await LoadRulesAsync();
        (_editing, _rulesNotice) = (_rules?.FirstOrDefault(r => r.Name == saved.Name) ?? saved, $"Saved rule {saved.Name}.");
    }

    private async Task RuleDeletedAsync(string name)
    {
        (_editing, _formOpen, _rulesNotice) = (null, false, $"Deleted rule {name}.");
        await LoadRulesAsync();
    }

    private void RuleFilterChanged(ChangeEventArgs e) => FilterChanged("rule", e);

    private void HostFilterChanged(ChangeEventArgs e) => FilterChanged("host", e);

    private void FilterChanged(string name, ChangeEventArgs e) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter(name, e.Value as string is { Length: > 0 } value ? value : null));

    /// <summary>"above 1,000/s", "below 5/s", both when a rule has both.</summary>
    internal static string Condition(AlertRule rule) => string.Join(" or ", new[]
    {
        rule.Above is { } above ? $"above {AlertText.Threshold(above)}/s" : null,
        rule.Below is { } below ? $"below {AlertText.Threshold(below)}/s" : null,
    }.Where(c => c is not null)) is { Length: > 0 } text ? text : "—";

    public void Dispose()
    {
        _disposed = true;
        Live.AlertReceived -= OnAlert;
    }
}
