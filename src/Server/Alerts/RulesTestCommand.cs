using System.Globalization;
using Tracefleet.Server.Alerts.Preview;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.Api;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// <c>tracefleet-server rules test FILE [--from TIME] [--to TIME] [--fail-on-firing]</c>: checks a rules file and
/// prints, for each rule, when it would have fired over the history of the store the server's configuration names
/// (the other arguments are configuration, as for the server: <c>--Storage:Path=…</c>). The same evaluation as
/// <c>POST /api/rules/preview</c>; the store is only read. Exit 0; 1 when a rule is not valid; 2 when the file or the
/// store cannot be read; 3 with <c>--fail-on-firing</c> when a rule would have fired: for a pipeline that keeps rules in git.
/// </summary>
public static class RulesTestCommand
{
    public static bool IsInvocation(string[] args) => args is ["rules", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not ["rules", "test", var file, .. var rest] || file.StartsWith('-'))
        {
            await output.WriteLineAsync("usage: tracefleet-server rules test FILE [--from TIME] [--to TIME] [--fail-on-firing] [--Section:Key=value ...]").ConfigureAwait(false);
            return 64;
        }

        string? from = null, to = null;
        var failOnFiring = false;
        var configuration = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            switch (rest[i])
            {
                case "--from" when i + 1 < rest.Length:
                    from = rest[++i];
                    break;
                case "--to" when i + 1 < rest.Length:
                    to = rest[++i];
                    break;
                case "--fail-on-firing":
                    failOnFiring = true;
                    break;
                default:
                    configuration.Add(rest[i]);
                    break;
            }
        }

        if (!TimeRange.TryParse(from, to, out var range, out var problem))
        {
            await output.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return 64;
        }

        IReadOnlyList<AlertRule> rules;
        try
        {
            rules = RulesFile.Read(file);
        }
        catch (InvalidDataException e)
        {
            await output.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. configuration], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.AddHistory();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LearntProbes>();
        builder.Services.AddScoped<RulePreview>();
        await using var app = builder.Build();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (fromMs, toMs) = (from is null ? now - PreviewResult.DefaultRangeMs : range.FromUnixMs, to is null ? now : range.ToUnixMs);
        int invalid = 0, fired = 0;
        try
        {
            // Probes learnt from agents are in the store: rules on them compile only once those are known.
            await app.Services.GetRequiredService<LearntProbes>().LoadAsync(CancellationToken.None).ConfigureAwait(false);
            await using var scope = app.Services.CreateAsyncScope();
            var preview = scope.ServiceProvider.GetRequiredService<RulePreview>();
            foreach (var (rule, compiled, errors) in RulesFile.Check(rules, ProbeCatalogue.Find))
            {
                if (compiled is null)
                {
                    invalid++;
                    await output.WriteLineAsync($"{rule.Name ?? "(no name)"}: not valid").ConfigureAwait(false);
                    foreach (var line in RuleCompiler.Describe(errors))
                    {
                        await output.WriteLineAsync($"  {line}").ConfigureAwait(false);
                    }

                    continue;
                }

                var result = await preview.RunAsync(compiled, fromMs, toMs, CancellationToken.None).ConfigureAwait(false);
                if (result.Problem is { } tooBig)
                {
                    invalid++;
                    await output.WriteLineAsync($"{compiled.Name}: {tooBig}").ConfigureAwait(false);
                    continue;
                }

                fired += result.Firings.Count > 0 ? 1 : 0;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{compiled.Name}: {result.Firings.Count} firing{(result.Firings.Count == 1 ? "" : "s")} ({result.Samples} samples at {result.Resolution})")).ConfigureAwait(false);
                foreach (var f in result.Firings)
                {
                    var end = f.EndsAt is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "still firing";
                    await output.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {f.Host}\t{(f.Key.Length == 0 ? "-" : f.Key)}\t{f.StartsAt.ToString("u", CultureInfo.InvariantCulture)}\t{end}\tpeak {CompiledRule.Shown(f.Peak)}/s")).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            await output.WriteLineAsync($"error: cannot read the store: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        return invalid > 0 ? 1 : failOnFiring && fired > 0 ? 3 : 0;
    }
}
