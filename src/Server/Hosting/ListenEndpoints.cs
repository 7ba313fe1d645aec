using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Two kinds of endpoint: the web UI, API and SignalR on ASP.NET's <c>--urls</c> (HTTP/1.1, what
/// browsers speak in cleartext) and gRPC ingest on <c>Ingest:Url</c> (HTTP/2 only, h2c in cleartext).
/// Each connection is marked with the listener that accepted it; <see cref="ListenerSeparation"/> keeps every
/// endpoint on its own listener. Listeners bound to loopback answer to loopback names only unless <c>AllowedHosts</c>
/// says otherwise (<see cref="LoopbackHosts"/>).
/// </summary>
public static class ListenEndpoints
{
    public const string DefaultWebUrl = "http://127.0.0.1:5080";
    public const string DefaultIngestUrl = "http://127.0.0.1:5081";

    public static WebApplicationBuilder AddListenEndpoints(this WebApplicationBuilder builder)
    {
        var webUrls = WebUrls(builder.Configuration);
        var ingestUrl = builder.Configuration["Ingest:Url"] is { Length: > 0 } ingest ? ingest : DefaultIngestUrl;
        if (string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
        {
            var loopback = webUrls.Append(ingestUrl).Select(url => Parse(url, https: true)).Where(uri => uri.IsLoopback).Select(uri => uri.Port);
            builder.Services.AddSingleton<IStartupFilter>(new LoopbackHosts(loopback.ToHashSet()));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in webUrls)
            {
                // Cleartext HTTP/2 needs prior knowledge, which browsers never have: HTTP/1.1 it is (WebSockets for SignalR).
                Listen(kestrel, url, HttpProtocols.Http1, Listener.Web);
            }

            var services = kestrel.ApplicationServices;
            IngestListener.ApplyLimits(kestrel, services.GetRequiredService<IOptions<LimitsOptions>>().Value);
            Listen(kestrel, ingestUrl, HttpProtocols.Http2, Listener.Ingest, IngestTls.Configure(builder.Configuration), services.GetRequiredService<IngestConnectionLimit>().Wrap);
        });
        return builder;
    }

    /// <summary>The web listeners' URLs: <c>--urls</c> (semicolon-separated), or <see cref="DefaultWebUrl"/>.</summary>
    public static IReadOnlyList<string> WebUrls(IConfiguration configuration) =>
        (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : DefaultWebUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// True when every web listener takes connections from this machine only (127.0.0.0/8, ::1, localhost);
    /// false for <c>*</c>, <c>0.0.0.0</c>, any other address, or a URL that does not parse.
    /// </summary>
    public static bool WebIsLoopbackOnly(IConfiguration configuration) =>
        WebUrls(configuration).All(url => TryParse(url, out var uri) && (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))));

    private static bool TryParse(string url, out Uri uri) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out uri!);

    private static Uri Parse(string url, bool https) =>
        TryParse(url, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || (uri.Scheme == Uri.UriSchemeHttps && https))
            ? uri
            : throw new InvalidOperationException(
                $"Cannot listen on \"{url}\": expected http://HOST:PORT, or https://HOST:PORT for Ingest:Url with a certificate in Ingest:Certificate:Path.");

    private static void Listen(
        KestrelServerOptions kestrel,
        string url,
        HttpProtocols protocols,
        Listener listener,
        Action<ListenOptions>? https = null,
        Func<ConnectionDelegate, ConnectionDelegate>? connections = null)
    {
        var uri = Parse(url, https is not null);

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (connections is not null)
            {
                // Before TLS: a connection past the limit costs no handshake.
                listen.Use(connections);
            }

            ListenerSeparation.Mark(listen, listener);
            if (listener == Listener.Web)
            {
                KestrelRejections.Explain(listen);
            }

            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                https!(listen);
            }
        }

        if (uri.IsLoopback && uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port, Configure);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, uri.Port, Configure);
        }
        else
        {
            throw new InvalidOperationException($"Cannot listen on \"{url}\": use an IP address, localhost, or * for every address.");
        }
    }
}
