using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>
/// Creates, changes or deletes one alert rule (<c>POST</c>/<c>PUT</c>/<c>DELETE /api/rules</c>) and previews it
/// (<c>POST /api/rules/preview</c>) over a range of stored history, last 24 hours unless chosen otherwise.
/// A 400's reasons stand beside the fields they name; reasons for fields the form has not, and other refusals (409: the
/// name is taken, the rule is in a file), above the buttons.
/// </summary>
public partial class RuleEditor
{
    /// <summary>The fields the form has, by their names in the API's JSON.</summary>
    private static readonly HashSet<string> FormFields = new(StringComparer.Ordinal)
    {
        "name", "probe", "column", "key", "hosts", "above", "below", "window", "for", "clear", "keepFiringFor", "noData", "severity", "labels", "annotations",
    };

    private RuleDraft _draft = RuleDraft.New(ProbeCatalogue.All[0]);
    private AlertRule? _shown;
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _errors = FieldProblem.None;
    private string _problemTitle = "";
    private string? _problem;
    private bool _busy;
    private bool _confirmDelete;
    private string _previewRange = "24h";
    private RulePreview? _preview;
    private string _previewLabel = "";
    private DateTime _previewFrom;
    private DateTime _previewTo;
    private IReadOnlyList<AlertBand> _previewBands = [];

    [Inject]
    private TracefleetApi Api { get; set; } = null!;

    /// <summary>The rule to change; null: a new one.</summary>
    [Parameter]
    public AlertRule? Rule { get; set; }

    /// <summary>The rule as the server stored it.</summary>
    [Parameter]
    public EventCallback<AlertRule> Saved { get; set; }

    /// <summary>The name of the rule deleted.</summary>
    [Parameter]
    public EventCallback<string> Deleted { get; set; }

    protected override void OnParametersSet()
    {
        // The form keeps what is typed across the page's renders; only another rule starts it afresh.
        if (ReferenceEquals(Rule, _shown))
        {
            return;
        }

        _shown = Rule;
        _draft = Rule is null ? RuleDraft.New(ProbeCatalogue.All[0]) : RuleDraft.Of(Rule);
        (_errors, _problem, _preview, _confirmDelete) = (FieldProblem.None, null, null, false);
    }

    private void ProbeChanged(ChangeEventArgs e)
    {
        _draft.Probe = e.Value as string ?? "";
        // The old probe's column means nothing on the new one.
        _draft.Column = ProbeCatalogue.Find(_draft.Probe)?.Columns[0].Name ?? "";
    }

    private async Task SaveAsync()
    {
        if (Built("Could not save the rule:") is not { } rule)
        {
            return;
        }

        await CallAsync("Could not save the rule:", async () =>
        {
            var saved = Rule is null ? await Api.CreateRuleAsync(rule) : await Api.UpdateRuleAsync(Rule.Name, rule);
            // The page says so: the saved rule comes back as the form's rule, which starts the form afresh.
            await Saved.InvokeAsync(saved ?? rule);
        });
    }

    private async Task DeleteAsync()
    {
        _confirmDelete = false;
        if (Rule is not { } rule)
        {
            return;
        }

        await CallAsync("Could not delete the rule:", async () =>
        {
            await Api.DeleteRuleAsync(rule.Name);
            await Deleted.InvokeAsync(rule.Name);
        });
    }

    private async Task PreviewAsync()
    {
        if (Built("Could not preview the rule:") is not { } rule)
        {
            return;
        }

        var range = TimeRangeSpec.Parse(_previewRange, null, null);
        var (from, to) = range.Resolve(DateTime.UtcNow);
        // A rule need not be named to be tried.
        var sent = rule.Name.Length == 0 ? rule with { Name = "preview" } : rule;
        _preview = null;
        await CallAsync("Could not preview the rule:", async () =>
        {
            var preview = await Api.PreviewRuleAsync(sent, from, to);
            // The answer is shown with what was asked: the form and the range picker may have changed since.
            (_previewLabel, _previewFrom, _previewTo) = (range.Label, from, to);
            _previewBands = preview is null ? [] : [.. preview.Firings.Select(f => new AlertBand(sent.Name, f.Host, f.Key, f.StartsAt.UtcDateTime, f.EndsAt?.UtcDateTime ?? to, f.EndsAt is null))];
            _preview = preview;
        });
    }

    /// <summary>The rule the form describes, or null with the fields it cannot read marked.</summary>
    private AlertRule? Built(string title)
    {
        var (rule, problems) = _draft.Build();
        if (rule is null)
        {
            (_errors, _problemTitle, _problem) = (problems, title, "some fields cannot be read; see beside them.");
        }

        return rule;
    }

    private async Task CallAsync(string title, Func<Task> call)
    {
        _busy = true;
        try
        {
            await call();
            (_errors, _problem) = (FieldProblem.None, null);
        }
        catch (ApiValidationException e)
        {
            _errors = Placed(e.Errors);
            var elsewhere = e.Errors.Where(f => !FormFields.Contains(Root(f.Key))).Select(f => $"{f.Key}: {string.Join("; ", f.Value)}").ToList();
            (_problemTitle, _problem) = (title, elsewhere.Count == 0 ? "the server refused some fields; see beside them." : string.Join(" · ", elsewhere));
        }
        catch (HttpRequestException e)
        {
            (_errors, _problemTitle, _problem) = (FieldProblem.None, title, e.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Reasons for a part of a field (<c>hosts[1]</c>, <c>labels.team</c>) stand beside the field.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Placed(IReadOnlyDictionary<string, IReadOnlyList<string>> errors) =>
        errors.Where(f => FormFields.Contains(Root(f.Key)))
            .GroupBy(f => Root(f.Key), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(f => f.Value)], StringComparer.Ordinal);

    private static string Root(string field) => field.Split('[', '.')[0];

    private string? Invalid(string field) => _errors.ContainsKey(field) ? "true" : null;

    private string PreviewSummary(RulePreview preview)
    {
        var firings = preview.Firings.Count switch
        {
            0 => "Would not have fired",
            1 => "Would have fired once",
            var n => $"Would have fired {n.ToString(CultureInfo.InvariantCulture)} times",
        };
        return $"{firings} over the {_previewLabel} (read at {preview.Resolution} resolution, {preview.Samples.ToString("N0", CultureInfo.InvariantCulture)} samples).";
    }
}
