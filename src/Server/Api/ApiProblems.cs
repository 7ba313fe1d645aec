using Microsoft.AspNetCore.Http.HttpResults;

namespace Tracefleet.Server.Api;

/// <summary>Refusals of the HTTP API, each an RFC 7807 problem body that says what to change.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>A 400 for a host name no host can have (see <see cref="HostNames.Check"/>), or null when the name is fine.</summary>
    public static ProblemHttpResult? BadHostName(string name) =>
        HostNames.Check(name) is { } problem ? BadRequest(problem) : null;

    public static ProblemHttpResult UnknownHost(string name) =>
        TypedResults.Problem(title: "Unknown host", detail: $"No host named \"{name}\" has reported to this server.", statusCode: StatusCodes.Status404NotFound);
}
