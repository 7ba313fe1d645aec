using System.Globalization;

namespace Tracefleet.EndToEnd.Infrastructure;

public static class ProcessMemory
{
    /// <summary>Resident set size of a process, from /proc, in MB.</summary>
    public static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
