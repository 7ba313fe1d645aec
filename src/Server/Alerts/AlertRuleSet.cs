using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Alerts;

/// <summary>A rule as listed: as written, where it came from, and why it is not evaluated (a probe no longer known), if so.</summary>
public sealed record ListedRule(AlertRule Rule, RuleSource Source, string? Problem);

/// <summary>What a change to the rules came to.</summary>
public enum RuleChange
{
    Done,
    Invalid,
    NotFound,
    Exists,

    /// <summary>The rule comes from the rules file and is changed there.</summary>
    FromFile,
}

/// <summary>
/// The alert rules: kept in the store, loaded at start (with the rules file's, which replace the file's earlier ones),
/// changed through the API, and handed to <see cref="LiveAlerts"/> compiled after every change. Changes are taken one
/// at a time.
/// </summary>
public sealed partial class AlertRuleSet(
    LiveAlerts alerts, Silences silences, IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertRuleSet> logger)
    : IDisposable
{
    /// <summary>Rules the server keeps at most (API and file together).</summary>
    public const int MaxRules = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly SemaphoreSlim _changes = new(1, 1);
    private List<ListedRule> _listed = [];

    public void Dispose() => _changes.Dispose();

    /// <summary>Every rule, ordered by name.</summary>
    public IReadOnlyList<ListedRule> List() => _listed;

    /// <summary>
    /// At start, after the store is migrated and before ingest: the rules file into the store, every rule compiled,
    /// silences read, and the alerts kept before a restart put back. A file that cannot be read throws
    /// <see cref="InvalidDataException"/> (the server refuses to start); a rule in it that is wrong is logged and skipped.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        if (options.Value.RulesFile is { Length: > 0 } path)
        {
            await SyncFileAsync(db, path, cancellationToken).ConfigureAwait(false);
        }

        await RecompileAsync(db, cancellationToken).ConfigureAwait(false);
        await silences.LoadAsync(cancellationToken).ConfigureAwait(false);
        var kept = await db.AlertStates.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var restored = alerts.Restore(kept.Select(k => new AlertSeriesState(
            k.Rule, k.Host, k.Key, (AlertState)k.State, k.SinceUnixMs, k.Value ?? double.NaN, k.Notified)));
        LogLoaded(logger, _listed.Count, _listed.Count(r => r.Source == RuleSource.File), restored);
    }

    /// <summary>Adds a rule made through the API.</summary>
    public Task<(RuleChange Change, Dictionary<string, string[]>? Errors)> AddAsync(AlertRule rule, CancellationToken cancellationToken) =>
        ChangeAsync(rule.Name, rule, adding: true, cancellationToken);

    /// <summary>Replaces rule <paramref name="name"/> (the body's name, when given, must be the same).</summary>
    public Task<(RuleChange Change, Dictionary<string, string[]>? Errors)> ReplaceAsync(string name, AlertRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Name is not null && rule.Name != name)
        {
            return Task.FromResult<(RuleChange, Dictionary<string, string[]>?)>(
                (RuleChange.Invalid, new() { ["name"] = [$"is \"{rule.Name}\" but the URL names \"{name}\"; a rule is renamed by deleting it and adding it again"] }));
        }

        rule.Name = name;
        return ChangeAsync(name, rule, adding: false, cancellationToken);
    }

    public async Task<RuleChange> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            var record = await db.AlertRules.FirstOrDefaultAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                return RuleChange.NotFound;
            }

            if (record.Source == (int)RuleSource.File)
            {
                return RuleChange.FromFile;
            }

            db.AlertRules.Remove(record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await RecompileAsync(db, cancellationToken).ConfigureAwait(false);
            return RuleChange.Done;
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<(RuleChange Change, Dictionary<string, string[]>? Errors)> ChangeAsync(
        string? name, AlertRule rule, bool adding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (RuleCompiler.Compile(rule, RuleSource.Api, ProbeCatalogue.Find, out var errors) is null)
        {
            return (RuleChange.Invalid, errors);
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            var record = await db.AlertRules.FirstOrDefaultAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false);
            switch (adding, record)
            {
                case (true, not null):
                    return (RuleChange.Exists, null);
                case (false, null):
                    return (RuleChange.NotFound, null);
                case (false, { Source: (int)RuleSource.File }):
                    return (RuleChange.FromFile, null);
                case (true, null) when await db.AlertRules.CountAsync(cancellationToken).ConfigureAwait(false) >= MaxRules:
                    return (RuleChange.Invalid, new() { ["name"] = [$"the server keeps at most {MaxRules} rules; remove one first"] });
                case (true, null):
                    db.AlertRules.Add(new AlertRuleRecord { Name = rule.Name!, SpecJson = JsonSerializer.Serialize(rule, Json), UpdatedUnixMs = Now() });
                    break;
                default:
                    (record.SpecJson, record.UpdatedUnixMs) = (JsonSerializer.Serialize(rule, Json), Now());
                    break;
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await RecompileAsync(db, cancellationToken).ConfigureAwait(false);
            return (RuleChange.Done, null);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task SyncFileAsync(TracefleetDb db, string path, CancellationToken cancellationToken)
    {
        var inFile = new Dictionary<string, AlertRule>(StringComparer.Ordinal);
        foreach (var (rule, compiled, errors) in RulesFile.Check(RulesFile.Read(path), ProbeCatalogue.Find))
        {
            if (compiled is null)
            {
                LogFileRuleRefused(logger, path, rule.Name ?? "(no name)", string.Join("; ", RuleCompiler.Describe(errors)));
            }
            else
            {
                inFile[compiled.Name] = rule;
            }
        }

        var stored = await db.AlertRules.ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in stored.Where(r => r.Source == (int)RuleSource.File && !inFile.ContainsKey(r.Name)))
        {
            db.AlertRules.Remove(record);
        }

        foreach (var (name, rule) in inFile)
        {
            var json = JsonSerializer.Serialize(rule, Json);
            if (stored.FirstOrDefault(r => r.Name == name) is { } record)
            {
                if (record.Source != (int)RuleSource.File)
                {
                    LogFileRuleReplaces(logger, path, name);
                }

                (record.SpecJson, record.Source, record.UpdatedUnixMs) = (json, (int)RuleSource.File, Now());
            }
            else
            {
                db.AlertRules.Add(new AlertRuleRecord { Name = name, SpecJson = json, Source = (int)RuleSource.File, UpdatedUnixMs = Now() });
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RecompileAsync(TracefleetDb db, CancellationToken cancellationToken)
    {
        var records = await db.AlertRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var listed = new List<ListedRule>(records.Count);
        var compiled = new List<CompiledRule>(records.Count);
        var previous = alerts.Rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var record in records)
        {
            var rule = JsonSerializer.Deserialize<AlertRule>(record.SpecJson, Json) ?? new AlertRule { Name = record.Name };
            var source = (RuleSource)record.Source;
            var ready = RuleCompiler.Compile(rule, source, ProbeCatalogue.Find, out var errors);
            listed.Add(new ListedRule(rule, source, ready is null ? string.Join("; ", RuleCompiler.Describe(errors)) : null));
            if (ready is not null)
            {
                // An unchanged rule keeps its compiled object, so its alerts carry on (a changed one starts again).
                compiled.Add(previous.TryGetValue(ready.Name, out var same) && same.Source == source && SameSpec(same.Spec, rule) ? same : ready);
            }
        }

        _listed = listed;
        alerts.SetRules(compiled);
    }

    // What a rule means, defaults filled in: a PUT of what GET returned (defaults written out) changes nothing.
    private static bool SameSpec(AlertRule a, AlertRule b) =>
        JsonSerializer.Serialize(RuleView.Of(new ListedRule(a, RuleSource.Api, null)), Json) == JsonSerializer.Serialize(RuleView.Of(new ListedRule(b, RuleSource.Api, null)), Json);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rules: {Count} ({FromFile} from the rules file); {Restored} pending or firing alerts restored")]
    private static partial void LogLoaded(ILogger logger, int count, int fromFile, int restored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules file {Path}: rule {Name} skipped: {Problems}")]
    private static partial void LogFileRuleRefused(ILogger logger, string path, string name, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rules file {Path}: rule {Name} replaces the rule of that name made through the API")]
    private static partial void LogFileRuleReplaces(ILogger logger, string path, string name);
}
