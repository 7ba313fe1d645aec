using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.Live;

/// <summary>
/// Which web pages may open the hub. A browser lets any page open a WebSocket to any server it can reach (CORS does not
/// apply to WebSockets), and only the <c>Origin</c> header tells the server which page asks. Let in: requests without
/// <c>Origin</c> (programs, not browsers), the server's own pages (the Origin's host and port are the request's
/// <c>Host</c>), and the origins in <c>Live:AllowedOrigins</c>. Every other request to the hub is answered 403.
/// </summary>
public sealed class LiveOrigins
{
    private readonly HashSet<string> _allowed;

    /// <exception cref="InvalidOperationException">An entry of <c>Live:AllowedOrigins</c> is not <c>scheme://host[:port]</c>.</exception>
    public LiveOrigins(IOptions<LiveOptions> options)
    {
        _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in (options.Value.AllowedOrigins ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _allowed.Add(Normalize(entry) ?? throw new InvalidOperationException(
                $"Live:AllowedOrigins: \"{entry}\" is not an origin; write each as scheme://host[:port], e.g. https://grafana.example.com, separated by ';'."));
        }
    }

    public bool Allows(HttpRequest request)
    {
        if (request.Headers.Origin is not [{ Length: > 0 } origin])
        {
            return request.Headers.Origin.Count == 0;
        }

        return OwnOrigin.Is(request, origin) || (Normalize(origin) is { } normalized && _allowed.Contains(normalized));
    }

    /// <summary>Refuses, with 403, requests to a hub endpoint that <see cref="Allows"/> does not let in.</summary>
    public async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not null && !Allows(context.Request))
        {
            await Results.Problem(
                title: "Origin not allowed",
                detail: "The live hub accepts pages of this server only, and the origins listed in Live:AllowedOrigins.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary><c>scheme://host[:port]</c> as a browser writes it (lower case, no default port), or null when it is not one.</summary>
    private static string? Normalize(string origin) =>
        Uri.TryCreate(origin.TrimEnd('/'), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
