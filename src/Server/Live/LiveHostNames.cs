using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Live;

/// <summary>The host names a hub client may join or leave: the names an agent may report under.</summary>
public static class LiveHostNames
{
    /// <summary>Why <paramref name="host"/> cannot be an agent's host name, or null when it can: 1 to 253 characters, no control characters.</summary>
    public static string? Problem(string? host) =>
        string.IsNullOrEmpty(host) || host.Length > IngestValidator.MaxHostNameLength
            ? $"a host name is 1 to {IngestValidator.MaxHostNameLength} characters long"
            : host.Any(char.IsControl)
                ? "a host name holds no control characters"
                : null;
}
