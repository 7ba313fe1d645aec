using Microsoft.AspNetCore.Http.HttpResults;
using Tracefleet.Server.Alerts;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/silences</c>: hold back notices of matching alerts until a time (the alerts are still evaluated and kept).</summary>
public static class SilencesApi
{
    /// <summary>Silences in force at most.</summary>
    public const int MaxSilences = 1000;

    /// <summary>The longest a silence may last.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapSilencesApi(this IEndpointRouteBuilder app)
    {
        var silences = app.MapGroup("/api/silences").WithTags("Alerts");
        silences.MapGet("/", ListAsync).WithName("ListSilences").WithSummary("The silences in force, soonest to end first.");
        silences.MapPost("/", AddAsync).WithName("AddSilence").ProducesValidationProblem()
            .WithSummary("Adds a silence: globs on rule, host and key (left out: any), and endsAt (ISO-8601) or duration (2h); at most a year.");
        silences.MapDelete("/{id:long}", RemoveAsync).WithName("RemoveSilence").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Ends a silence now.");
        return app;
    }

    private static async Task<Ok<List<SilenceView>>> ListAsync(Silences silences, CancellationToken cancellationToken) =>
        TypedResults.Ok((await silences.ListAsync(cancellationToken).ConfigureAwait(false)).Select(SilenceView.Of).ToList());

    private static async Task<Results<Created<SilenceView>, ValidationProblem>> AddAsync(
        SilenceRequest request, Silences silences, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, glob) in new[] { ("rule", request.Rule), ("host", request.Host), ("key", request.Key) })
        {
            if (glob is not null && Glob.Parse(glob, out var problem) is null)
            {
                errors[field] = [problem!];
            }
        }

        if (request.Rule is null && request.Host is null && request.Key is null)
        {
            errors["rule"] = ["a silence names at least one of rule, host or key (use host: \"*\" to silence everything)"];
        }

        var now = time.GetUtcNow();
        DateTimeOffset? endsAt = null;
        if (request.EndsAt is { } end && request.Duration is null)
        {
            endsAt = end;
        }
        else if (request.Duration is { } text && request.EndsAt is null)
        {
            if (RuleDuration.Parse(text, out var problem) is { } ms)
            {
                endsAt = now.AddMilliseconds(ms);
            }
            else
            {
                errors["duration"] = [problem!];
            }
        }
        else
        {
            errors["endsAt"] = ["give endsAt or duration (one of them)"];
        }

        if (endsAt is { } until && (until <= now || until - now > MaxDuration))
        {
            errors[request.Duration is null ? "endsAt" : "duration"] = ["must end after now and within a year"];
        }

        if (request.Comment is { Length: > 1000 })
        {
            errors["comment"] = ["at most 1000 characters"];
        }

        if (silences.Count >= MaxSilences)
        {
            errors["endsAt"] = [$"{MaxSilences} silences are in force, the most there may be; remove one first"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors, detail: string.Join("; ", errors.SelectMany(e => e.Value.Select(reason => $"{e.Key}: {reason}"))), title: "The silence is not valid");
        }

        var added = await silences.AddAsync(
            new SilenceRecord
            {
                Rule = request.Rule,
                Host = request.Host,
                Key = request.Key,
                EndsAtUnixMs = endsAt!.Value.ToUnixTimeMilliseconds(),
                Comment = request.Comment ?? "",
                CreatedAtUnixMs = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/silences/{added.Id}", SilenceView.Of(added));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long id, Silences silences, CancellationToken cancellationToken) =>
        await silences.RemoveAsync(id, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "Unknown silence", detail: $"No silence has id {id}.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>The body of <c>POST /api/silences</c>: globs (null: any), and <see cref="EndsAt"/> or <see cref="Duration"/> (<c>2h</c>).</summary>
public sealed record SilenceRequest(string? Rule, string? Host, string? Key, DateTimeOffset? EndsAt, string? Duration, string? Comment);

/// <summary>A silence in force.</summary>
public sealed record SilenceView(long Id, string? Rule, string? Host, string? Key, DateTimeOffset EndsAt, string Comment, DateTimeOffset CreatedAt)
{
    public static SilenceView Of(SilenceRecord s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Rule, s.Host, s.Key, DateTimeOffset.FromUnixTimeMilliseconds(s.EndsAtUnixMs), s.Comment, DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedAtUnixMs));
    }
}
