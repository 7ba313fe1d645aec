using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Tracefleet.Contract.V1;
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
        hosts.MapGet("/{name}", GetAsync).WithName("GetHost").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One host, with its probes' variants and limitations.");
        hosts.MapGet("/{name}/top", TopAsync).WithName("TopKeys").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).AddOpenApiOperationTransformer(RowsOfEachProbe)
            .WithSummary("A host's busiest keys for one probe over a time range, sorted by the first value, descending; limit 1 to 5000 (default 20), 0 for 5000.");
        return app;
    }

    private static async Task<Ok<List<HostSummary>>> ListAsync(HistoryQueries queries, AgentSessions sessions, CancellationToken cancellationToken)
    {
        var hosts = await queries.HostsAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(hosts.Select(h => new HostSummary(
            h.Name, h.Os, sessions.IsOnline(h.Name), Time(h.LastSeenUnixMs), ProbesOf(h).Select(p => p.Name).ToList(),
            h.Backend, h.Kernel, h.AgentVersion)).ToList());
    }

    private static async Task<Results<Ok<HostDetail>, ProblemHttpResult>> GetAsync(
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
            var report = statuses.Find(host.Name, p.Name);
            var s = report?.Status;
            return new ProbeDetail(
                p.Name, p.Variant, p.Limitations, s?.State, s?.LastError, (int?)s?.Restarts, (long?)s?.MalformedLines, s?.LinesPerSecond,
                s is null ? null : Time(s.AtUnixMs), (long?)s?.RejectedSnapshots, s is { LastRejection.Length: > 0 } ? s.LastRejection : null,
                limits.Value.MaxKeysPerHost, keys.Tracked, keys.FoldedLastHour, keys.Folded,
                report is { Cost: { } cost } ? CostOf(cost, report.CostAtUnixMs) : null, report?.RetryAtUnixMs is { } retry ? Time(retry) : null);
        });
        var clock = clocks.Of(host.Name) is var (offset, measuredAt)
            ? new ClockOffset(Math.Round(offset, 3), measuredAt.UtcDateTime, Math.Abs(offset) > limits.Value.ClockOffsetWarningSeconds)
            : null;
        return TypedResults.Ok(new HostDetail(host.Name, host.Os, sessions.IsOnline(host.Name), Time(host.LastSeenUnixMs), Time(host.FirstSeenUnixMs),
            host.Backend, host.Kernel, host.AgentVersion, probes.ToList(), clock));
    }

    private static async Task<Results<Ok<List<TopRow>>, ProblemHttpResult>> TopAsync(
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
        return TypedResults.Ok(rows.Select(r => TopRow.Of(kind.Definition, r.Key, r.Values.ToArray(kind.ValueCount))).ToList());
    }

    private static ProbeCostDetail CostOf(ProbeCost cost, long measuredAtUnixMs) => new(
        cost.TracerCpuPercent, (long)cost.TracerRssBytes, cost.KernelTimeKnown, cost.KernelTimeKnown ? cost.KernelCpuPercent : null,
        cost.KernelTimeKnown ? cost.KernelRunsPerSecond : null, cost.EventsPerSecond, cost.OutputBytesPerSecond, cost.BudgetCpuPercent,
        cost.WindowMs / 1000.0, Time(measuredAtUnixMs));

    private static DateTime Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;

    /// <summary>
    /// The top's rows have the probe's shape, so the document names each probe's (<c>{ key, faults }</c>, <c>{ key, allocs, frees }</c>)
    /// rather than one row whose every value is optional.
    /// </summary>
    private static Task RowsOfEachProbe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var shapes = ProbeCatalogue.All.Select(probe =>
        {
            var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { ["key"] = new OpenApiSchema { Type = JsonSchemaType.String } };
            foreach (var column in probe.Columns)
            {
                properties[column.Name] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "uint64", Description = ApiDocs.Count };
            }

            var row = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties, Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal) };
            return (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.Array, Items = row };
        });
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = string.Join("; ", ProbeCatalogue.All.Select(p => $"{p.Name}: rows {{ key, {string.Join(", ", p.Columns.Select(c => c.Name))} }}")) + ".",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = [.. shapes] } },
            },
        };
        return Task.CompletedTask;
    }

    /// <summary>The probes the host's agent declared in its last Hello, with their variants and limitations.</summary>
    internal static List<ProbeDescription> ProbesOf(HostRecord host) =>
        JsonSerializer.Deserialize<List<ProbeDescription>>(host.ProbesJson, ProbeDescription.Json) ?? [];
}
