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

    /// <summary>
    /// The <c>errors</c> of a validation problem (RFC 7807, <c>{ "errors": { "column": ["reason", …] } }</c>) by field, named as
    /// in the JSON the form sends: a preview's <c>rule.column</c> is <c>column</c>, a server's <c>Column</c> too. Empty when the body has none.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors(string body)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("errors", out var fields) || fields.ValueKind != JsonValueKind.Object)
            {
                return errors;
            }

            foreach (var field in fields.EnumerateObject())
            {
                var reasons = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList()
                    : field.Value.ValueKind == JsonValueKind.String ? [field.Value.GetString()!] : [];
                var name = FieldName(field.Name);
                errors[name] = [.. errors.GetValueOrDefault(name, []), .. reasons];
            }
        }
        catch (JsonException)
        {
            // Not JSON: no field to point at; the message says what the server answered.
        }

        return errors;
    }

    private static string FieldName(string name)
    {
        foreach (var prefix in new[] { "$.", "rule.", "Rule." })
        {
            name = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
        }

        return name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
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
