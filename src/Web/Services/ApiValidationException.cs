using System.Net;

namespace Tracefleet.Web.Services;

/// <summary>
/// A 400 validation problem: the server's reasons per field, named as in the JSON (<c>column</c>, <c>above</c>), so a
/// form shows each beside its field. Its message is the whole answer as a sentence, for what has no field to stand by.
/// </summary>
public sealed class ApiValidationException(string message, IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
    : HttpRequestException(message, null, HttpStatusCode.BadRequest)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; } = errors;
}
