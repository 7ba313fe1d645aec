using System.Net;
using System.Text;

namespace Tracefleet.Web.Tests.Fakes;

/// <summary>
/// The server's HTTP API as canned answers: each request path (without the query) maps to a status and
/// a JSON body written out by hand in the test, optionally for one method only (an answer for the method wins over
/// one for any). Unknown paths answer 404. Requests are kept, and with them each request's method and body. A path can be
/// held: its requests wait for the test to let them go, as a slow server's would.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body)> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    /// <summary>Every request as sent: method, URL and body (null when it had none).</summary>
    public List<(HttpMethod Method, Uri Uri, string? Body)> Sent { get; } = [];

    public FakeApi Answer(string path, string json, HttpStatusCode status = HttpStatusCode.OK, HttpMethod? method = null)
    {
        lock (_answers)
        {
            _answers[method is null ? path : $"{method} {path}"] = (status, json);
        }

        return this;
    }

    /// <summary>Requests to <paramref name="path"/> wait, from now on, until the returned source is completed.</summary>
    public TaskCompletionSource Hold(string path)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_held)
        {
            _held[path] = gate;
        }

        return gate;
    }

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://tracefleet.test/") };

    /// <summary>The requests sent with <paramref name="method"/> to <paramref name="path"/>, oldest first.</summary>
    public List<(HttpMethod Method, Uri Uri, string? Body)> SentTo(HttpMethod method, string path)
    {
        lock (Requests)
        {
            return [.. Sent.Where(s => s.Method == method && s.Uri.AbsolutePath == path)];
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
            Sent.Add((request.Method, request.RequestUri!, body));
        }

        var path = request.RequestUri!.AbsolutePath;
        Task held;
        lock (_held)
        {
            held = _held.TryGetValue(path, out var gate) ? gate.Task : Task.CompletedTask;
        }

        await held.WaitAsync(cancellationToken);
        (HttpStatusCode Status, string Body) answer;
        lock (_answers)
        {
            answer = _answers.TryGetValue($"{request.Method} {path}", out var forMethod) ? forMethod
                : _answers.TryGetValue(path, out var forAny) ? forAny
                : (HttpStatusCode.NotFound, """{"title":"Not Found","status":404}""");
        }

        return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") };
    }
}
