using System.Globalization;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Api;

/// <summary>Host names as the API accepts them in a path or a <c>host=</c> parameter, before any query runs.</summary>
public static class HostNames
{
    /// <summary>
    /// Null for a name some host could have; otherwise a sentence for a 400: empty, longer than
    /// <see cref="IngestValidator.MaxHostNameLength"/> characters, or holding a control or invisible formatting
    /// character (no host reports under such a name; echoing it would forge lines in logs and pages).
    /// </summary>
    public static string? Check(string name)
    {
        if (name.Length is 0 or > IngestValidator.MaxHostNameLength)
        {
            return $"a host name is 1 to {IngestValidator.MaxHostNameLength} characters long (got {name.Length}).";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return $"a host name holds no control or formatting characters (got U+{(int)c:X4}).";
            }
        }

        return null;
    }
}
