using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// A receiver that answers each request with the next scripted status (or throws, for a network error), then 200; it keeps
/// every request's body. Lanes over it pause 1 ms between attempts, so retries are counted, not waited for.
/// </summary>
internal sealed class ScriptedHandler(params int[] answers) : HttpMessageHandler
{
    /// <summary>A scripted answer that fails the connection instead of answering.</summary>
    public const int NetworkError = -1;

    public static readonly DeliveryPolicy FastPolicy = new(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

    private readonly ConcurrentQueue<int> _answers = new(answers);

    public ConcurrentQueue<byte[]> Bodies { get; } = new();

    /// <summary>Each request's URL and body, in the order they came, for a test to wait on.</summary>
    public Channel<(Uri Url, byte[] Body)> Requests { get; } = Channel.CreateUnbounded<(Uri Url, byte[] Body)>();

    public DeliveryLog Log { get; } = new();

    public ReceiverLane Lane(string name, int capacity = 100, TimeProvider? time = null) =>
        new(name, capacity, new HttpClient(this, disposeHandler: false), FastPolicy, Log, time ?? TimeProvider.System, NullLogger.Instance);

    /// <summary>The next <paramref name="count"/> requests, waiting at most <paramref name="patience"/> in all.</summary>
    public async Task<List<(Uri Url, byte[] Body)>> NextAsync(int count, TimeSpan patience)
    {
        using var cancel = new CancellationTokenSource(patience);
        var requests = new List<(Uri Url, byte[] Body)>();
        while (requests.Count < count)
        {
            requests.Add(await Requests.Reader.ReadAsync(cancel.Token));
        }

        return requests;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        Bodies.Enqueue(body);
        Requests.Writer.TryWrite((request.RequestUri!, body));
        var answer = _answers.TryDequeue(out var next) ? next : 200;
        if (answer == NetworkError)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }

        return new HttpResponseMessage((HttpStatusCode)answer) { Content = new StringContent(answer >= 400 ? $"refused with {answer}" : "") };
    }
}
