using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tracefleet.TestSupport;

/// <summary>
/// A webhook receiver on Kestrel on a loopback port: answers each POST with the next scripted status, then 200, and
/// keeps each one's exact body bytes and signature header, as a receiver that verifies signatures reads them.
/// </summary>
public sealed class LoopbackWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebhook(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public Uri Url { get; }

    public Channel<(int Answered, byte[] Body, string? Signature)> Received { get; } = Channel.CreateUnbounded<(int, byte[], string?)>();

    public static async Task<LoopbackWebhook> StartAsync(params int[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var script = new Queue<int>(answers);
        LoopbackWebhook? webhook = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            int answer;
            lock (script)
            {
                answer = script.TryDequeue(out var next) ? next : StatusCodes.Status200OK;
            }

            webhook!.Received.Writer.TryWrite((answer, body.ToArray(), request.Headers["X-Tracefleet-Signature"].FirstOrDefault()));
            return Results.StatusCode(answer);
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        webhook = new LoopbackWebhook(app, new Uri(new Uri(app.Urls.Single()), "/hook"));
        return webhook;
    }

    /// <summary>The next <paramref name="count"/> posts, waiting at most <paramref name="patience"/> in all.</summary>
    public async Task<List<(int Answered, byte[] Body, string? Signature)>> NextAsync(int count, TimeSpan patience)
    {
        using var cancel = new CancellationTokenSource(patience);
        var posts = new List<(int, byte[], string?)>();
        while (posts.Count < count)
        {
            posts.Add(await Received.Reader.ReadAsync(cancel.Token));
        }

        return posts;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
