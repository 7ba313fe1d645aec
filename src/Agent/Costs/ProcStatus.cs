using System.Globalization;

namespace Tracefleet.Agent.Costs;

/// <summary>The memory a process holds, from the text of <c>/proc/PID/status</c>.</summary>
public static class ProcStatus
{
    /// <summary>
    /// Reads <c>VmRSS</c> (printed in kB, meaning KiB) as bytes; false when there is no such line (a kernel thread,
    /// a process exiting) or it does not parse.
    /// </summary>
    public static bool TryParseRssBytes(string status, out long bytes)
    {
        bytes = 0;
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line["VmRSS:".Length..].Trim();
            if (!value.EndsWith("kB", StringComparison.Ordinal)
                || !long.TryParse(value[..^2].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return false;
            }

            bytes = kib * 1024;
            return true;
        }

        return false;
    }
}
