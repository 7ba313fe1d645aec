using System.Net;
using System.Text;

namespace Tracefleet.Web.Tests.Fakes;

/// <summary>
/// The server's HTTP API as canned answers: each request path (without the query) maps to a status and
/// a JSON body written out by hand in the test. Unknown paths answer 404. Requests are kept.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body)> _answers = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    public FakeApi Answer(string path, string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        _answers[path] = (status, json);
        return this;
    }

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://tracefleet.test/") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
        }

        var (status, body) = _answers.TryGetValue(request.RequestUri!.AbsolutePath, out var answer)
            ? answer
            : (HttpStatusCode.NotFound, """{"title":"Not Found","status":404}""");
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
