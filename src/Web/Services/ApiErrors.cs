using System.Net;
using System.Text.Json;

namespace Tracefleet.Web.Services;

/// <summary>
/// Plain sentences for what went wrong with an API call. The WebAssembly runtime is built without its exception messages
/// (they read as resource keys such as <c>net_http_message_not_success_statuscode_reason</c>), so the UI says it itself:
/// the status the server answered and the <c>detail</c> of its problem+json body, or that it did not answer at all.
/// </summary>
public static class ApiErrors
{
    public const string Unreachable = "The server did not answer: it may be down, or unreachable from this browser.";

    /// <summary>"The server answered 400 Bad Request: limit must be …"; the status alone when the body is no problem+json.</summary>
    public static string Answered(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var answered = $"The server answered {(int)status}{(string.IsNullOrWhiteSpace(reasonPhrase) ? "" : " " + reasonPhrase)}";
        return Problem(body) is { } problem ? $"{answered}: {problem}" : answered + ".";
    }

    public static string Unreadable(string path) => $"The server's answer to {path} could not be read: is this UI as new as the server?";

    /// <summary>The <c>detail</c> (else the <c>title</c>) of a problem+json body, or null when the body is no such thing.</summary>
    private static string? Problem(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && (Text(json.RootElement, "detail") ?? Text(json.RootElement, "title")) is { } text
                    ? text
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
