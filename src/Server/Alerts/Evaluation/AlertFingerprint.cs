using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Tracefleet.Server.Alerts.Evaluation;

/// <summary>An alert's identity for receivers: 16 hex digits of XxHash64 over rule, host and key (NUL-separated).</summary>
public static class AlertFingerprint
{
    public static string Of(string rule, string host, string key)
    {
        var bytes = Encoding.UTF8.GetBytes($"{rule}\0{host}\0{key}");
        return XxHash64.HashToUInt64(bytes).ToString("x16", CultureInfo.InvariantCulture);
    }
}
