using System.Net.Http.Headers;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>A POST of JSON bytes, as each receiver gets it.</summary>
public static class JsonPosts
{
    public static HttpRequestMessage Create(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
    }
}
