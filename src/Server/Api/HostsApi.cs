using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Api;

/// <summary><c>/api/hosts</c>: the fleet, one host, and a host's top keys.</summary>
public static class HostsApi
{
    public const int DefaultLimit = 20;

    public static IEndpointRouteBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/api/hosts").WithTags("Hosts");
        hosts.MapGet("/", ListAsync).WithName("ListHosts").WithSummary("Every host that has reported, with its state.");
        hosts.MapGet("/{name}", GetAsync).WithName("GetHost").WithSummary("One host, with its probes' variants and limitations.");
        hosts.MapGet("/{name}/top", TopAsync).WithName("TopKeys").AddOpenApiOperationTransformer(RowsOfEitherProbeAsync)
            .WithSummary("A host's busiest keys for one probe over a time range, sorted by the first value, descending; limit 1 to 5000 (default 20), 0 for 5000.");
        return app;
    }

    private static async Task<IResult> ListAsync(HistoryQueries queries, AgentSessions sessions, CancellationToken cancellationToken)
    {
        var hosts = await queries.HostsAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(hosts.Select(h => new HostSummary(
            h.Name, h.Os, sessions.IsOnline(h.Name), Time(h.LastSeenUnixMs), ProbesOf(h).Select(p => p.Name).ToList(),
            h.Backend, h.Kernel, h.AgentVersion)));
    }

    private static async Task<IResult> GetAsync(
        string name, HistoryQueries queries, AgentSessions sessions, ProbeStatusRegistry statuses, HostKeyBudget keyBudget, ClockOffsets clocks,
        IOptions<LimitsOptions> limits, CancellationToken cancellationToken)
    {
        if (ApiProblems.BadHostName(name) is { } badName)
        {
            return badName;
        }

        var host = await queries.HostAsync(name, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ApiProblems.UnknownHost(name);
        }

        var probes = ProbesOf(host).Select(p =>
        {
            var keys = keyBudget.Usage(host.Name, p.Name);
            var s = statuses.Find(host.Name, p.Name);
            return new ProbeDetail(
                p.Name, p.Variant, p.Limitations, s?.State, s?.LastError, (int?)s?.Restarts, (long?)s?.MalformedLines, s?.LinesPerSecond,
                s is null ? null : Time(s.AtUnixMs), (long?)s?.RejectedSnapshots, s is { LastRejection.Length: > 0 } ? s.LastRejection : null,
                limits.Value.MaxKeysPerHost, keys.Tracked, keys.FoldedLastHour, keys.Folded);
        });
        var clock = clocks.Of(host.Name) is var (offset, measuredAt)
            ? new ClockOffset(Math.Round(offset, 3), measuredAt.UtcDateTime, Math.Abs(offset) > limits.Value.ClockOffsetWarningSeconds)
            : null;
        return Results.Ok(new HostDetail(host.Name, host.Os, sessions.IsOnline(host.Name), Time(host.LastSeenUnixMs), Time(host.FirstSeenUnixMs),
            host.Backend, host.Kernel, host.AgentVersion, probes.ToList(), clock));
    }

    private static async Task<IResult> TopAsync(
        string name, string? probe, string? from, string? to, string? limit, HistoryQueries queries, CancellationToken cancellationToken)
    {
        if (ApiProblems.BadHostName(name) is { } badName)
        {
            return badName;
        }

        if (!UiQueryParameters.TryProbe(probe, out var kind, out var problem)
            || !TimeRange.TryParse(from, to, out var range, out problem)
            || !UiQueryParameters.TryLimit(limit, DefaultLimit, out var count, out problem))
        {
            return ApiProblems.BadRequest(problem!);
        }

        var hostId = await queries.HostIdAsync(name, cancellationToken).ConfigureAwait(false);
        if (hostId is null)
        {
            return ApiProblems.UnknownHost(name);
        }

        var rows = await queries.TopAsync(hostId.Value, kind, range.FromUnixMs, range.ToUnixMs, count, cancellationToken).ConfigureAwait(false);
        return kind == Probe.Kmem
            ? Results.Ok(rows.Select(r => new KmemRow(r.Key, r.First, r.Second)))
            : Results.Ok(rows.Select(r => new PageFaultRow(r.Key, r.First)));
    }

    private static DateTime Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;

    /// <summary>The top's rows have the probe's shape, so the document names both (one metadata type per status code would name only one).</summary>
    private static async Task RowsOfEitherProbeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var pagefaults = await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<PageFaultRow>), null, cancellationToken).ConfigureAwait(false);
        var kmem = await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<KmemRow>), null, cancellationToken).ConfigureAwait(false);
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "pagefaults: rows { key, faults }; kmem: rows { key, allocs, frees }.",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = [pagefaults, kmem] } },
            },
        };
    }

    private static List<ProbeDescription> ProbesOf(HostRecord host) =>
        JsonSerializer.Deserialize<List<ProbeDescription>>(host.ProbesJson, ProbeDescription.Json) ?? [];
}

/// <summary>A host in the fleet list.</summary>
public sealed record HostSummary(string Name, string Os, bool Online, DateTime LastSeen, IReadOnlyList<string> Probes, string Backend, string Kernel, string AgentVersion);

/// <summary>One host with what its probes can and cannot see, and how its agent's clock agrees with the server's (null: not measured).</summary>
public sealed record HostDetail(
    string Name, string Os, bool Online, DateTime LastSeen, DateTime FirstSeen, string Backend, string Kernel, string AgentVersion, IReadOnlyList<ProbeDetail> Probes,
    ClockOffset? Clock);

/// <summary>
/// The agent's clock against the server's, in seconds (positive: the agent's clock is ahead), measured from its latest
/// snapshots' ends against their arrival (so it includes the few hundred milliseconds a snapshot takes to arrive);
/// <c>skewed</c> when beyond Limits:ClockOffsetWarningSeconds. Snapshots are stamped by the agent's clock: a skewed
/// host's data sits that far off in time. Not measured for replayed captures.
/// </summary>
public sealed record ClockOffset(double OffsetSeconds, DateTime MeasuredAt, bool Skewed);

/// <summary>
/// A probe as its agent runs it, with its last reported health (null until the agent reports it, e.g. replay agents):
/// state is starting, running, restarting, failed or finished; lastError is the tracer's own error text;
/// rejectedSnapshots counts the snapshots the server refused since the agent started (kept in its state directory's
/// rejected/ folder), lastRejection says why the last one was.
/// The host's key budget for the probe, as this server has kept it since it started: keyBudget is Limits:MaxKeysPerHost,
/// keysTracked the keys stored under their own names now, keysFoldedLastHour (exact to 5 minutes) and keysFolded (since
/// the server started) the keys summed into "(other)" because the budget was full, one per key and snapshot.
/// </summary>
public sealed record ProbeDetail(
    string Name, string Variant, string Limitations, string? State, string? LastError, int? Restarts, long? MalformedLines, double? LinesPerSecond, DateTime? ReportedAt,
    long? RejectedSnapshots, string? LastRejection, int KeyBudget, int KeysTracked, long KeysFoldedLastHour, long KeysFolded);

/// <summary>A row of the pagefaults top: a file and its faults.</summary>
public sealed record PageFaultRow(string Key, [property: Description(ApiDocs.Count)] ulong Faults);

/// <summary>A row of the kmem top: a cache, its allocations and frees.</summary>
public sealed record KmemRow(string Key, [property: Description(ApiDocs.Count)] ulong Allocs, [property: Description(ApiDocs.Count)] ulong Frees);
