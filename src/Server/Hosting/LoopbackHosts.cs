namespace Tracefleet.Server.Hosting;

/// <summary>
/// A listener bound to loopback is for this machine only, yet a web page from anywhere can reach it through the
/// browser by DNS rebinding: its own name, resolved again, now points at 127.0.0.1, and the requests carry that name in
/// <c>Host</c>. While <c>AllowedHosts</c> is not set, a request that came in through a loopback listener must name it
/// <c>localhost</c>, <c>127.0.0.1</c> or <c>[::1]</c> (any port), or it is answered 400. With <c>AllowedHosts</c> set,
/// ASP.NET Core's host filtering applies that list to every listener instead (a reverse proxy's name, for instance).
/// </summary>
/// <param name="ports">The ports of the listeners bound to a loopback address.</param>
public sealed class LoopbackHosts(IReadOnlySet<int> ports) : IStartupFilter
{
    private static readonly string[] Names = ["localhost", "127.0.0.1", "[::1]"];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(CheckAsync);
        next(app);
    };

    /// <summary>Whether a request that arrived on <paramref name="localPort"/> may name <paramref name="host"/> (no name at all claims nothing).</summary>
    public bool Allows(int localPort, HostString host) =>
        !ports.Contains(localPort) || !host.HasValue || Names.Contains(host.Host, StringComparer.OrdinalIgnoreCase);

    private async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (!Allows(context.Connection.LocalPort, context.Request.Host))
        {
            await Results.Problem(
                title: "Bad request",
                detail: "This server listens on loopback and answers to localhost, 127.0.0.1 and [::1] only; "
                    + "to reach it by another name (a reverse proxy's), list that name in AllowedHosts.",
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
