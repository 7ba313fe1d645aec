using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// Two kinds of endpoint: the web UI, API and SignalR on ASP.NET's <c>--urls</c> (HTTP/1.1, what
/// browsers speak in cleartext) and gRPC ingest on <c>Ingest:Url</c> (HTTP/2 only, h2c in cleartext).
/// Listeners bound to loopback answer to loopback names only unless <c>AllowedHosts</c> says otherwise (<see cref="LoopbackHosts"/>).
/// </summary>
public static class ListenEndpoints
{
    public const string DefaultWebUrl = "http://127.0.0.1:5080";
    public const string DefaultIngestUrl = "http://127.0.0.1:5081";

    public static WebApplicationBuilder AddListenEndpoints(this WebApplicationBuilder builder)
    {
        var webUrls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : DefaultWebUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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
                Listen(kestrel, url, HttpProtocols.Http1);
            }

            Listen(kestrel, ingestUrl, HttpProtocols.Http2, IngestTls.Configure(builder.Configuration));
        });
        return builder;
    }

    private static Uri Parse(string url, bool https) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || (uri.Scheme == Uri.UriSchemeHttps && https))
            ? uri
            : throw new InvalidOperationException(
                $"Cannot listen on \"{url}\": expected http://HOST:PORT, or https://HOST:PORT for Ingest:Url with a certificate in Ingest:Certificate:Path.");

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, Action<ListenOptions>? https = null)
    {
        var uri = Parse(url, https is not null);

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
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
