using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.History;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/alerts</c>: the alerts pending or firing now, and <c>/api/alerts/history</c>: every state change kept.</summary>
public static class AlertsApi
{
    public const int DefaultHistoryLimit = 500;
    public const int MaxHistoryLimit = 5000;

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").WithTags("Alerts");
        alerts.MapGet("/", Now).WithName("ListAlerts").WithSummary("Every alert pending or firing now, with its labels and annotations as receivers get them.");
        alerts.MapGet("/history", HistoryAsync).WithName("AlertHistory").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Alert state changes in a range (ISO-8601 from/to, default all), newest first, optionally of one rule or host; limit 1 to 5000 (default 500).");
        return app;
    }

    private static Ok<List<AlertNow>> Now(LiveAlerts live, Silences silences)
    {
        var alerts = live.Active()
            .OrderBy(a => a.State == AlertState.Firing ? 0 : 1).ThenBy(a => a.SinceUnixMs)
            .Select(a => new AlertNow(
                a.RuleName, a.Host, a.Key, AlertEvent.NameOf(a.State), DateTimeOffset.FromUnixTimeMilliseconds(a.SinceUnixMs),
                double.IsNaN(a.Value) ? null : a.Value, a.Severity, a.Labels(), a.Annotations(), silences.Matches(a.RuleName, a.Host, a.Key)))
            .ToList();
        return TypedResults.Ok(alerts);
    }

    private static async Task<Results<Ok<List<AlertEvent>>, ProblemHttpResult>> HistoryAsync(
        string? from, string? to, string? rule, string? host, string? limit, TracefleetDb db, CancellationToken cancellationToken)
    {
        if (host is { Length: > 0 } && ApiProblems.BadHostName(host) is { } badHost)
        {
            return badHost;
        }

        if (!TimeRange.TryParse(from, to, out var range, out var problem)
            || !UiQueryParameters.TryLimit(limit, DefaultHistoryLimit, out var count, out problem, MaxHistoryLimit))
        {
            return ApiProblems.BadRequest(problem!);
        }

        var query = db.AlertTransitions.AsNoTracking().Where(t => t.AtUnixMs >= range.FromUnixMs && t.AtUnixMs <= range.ToUnixMs);
        if (rule is { Length: > 0 })
        {
            query = query.Where(t => t.Rule == rule);
        }

        if (host is { Length: > 0 })
        {
            query = query.Where(t => t.Host == host);
        }

        var records = await query.OrderByDescending(t => t.AtUnixMs).ThenByDescending(t => t.Id).Take(count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(records.Select(AlertEvent.Of).ToList());
    }
}

/// <summary>An alert pending or firing now. <see cref="Value"/>: the rate per second over the rule's window (null for no data); <see cref="Key"/> empty for a host-wide alert.</summary>
public sealed record AlertNow(
    string Rule, string Host, string Key, string State, DateTimeOffset Since, double? Value, string Severity,
    Dictionary<string, string> Labels, Dictionary<string, string> Annotations, bool Silenced);
