namespace Tracefleet.Server.Hosting;

/// <summary>Whether a browser's <c>Origin</c> is this server's own page: its host and port are the request's <c>Host</c>.</summary>
public static class OwnOrigin
{
    /// <summary>True when <paramref name="origin"/> parses and names the host and port <paramref name="request"/> was sent to.</summary>
    public static bool Is(HttpRequest request, string origin)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
