using System.Globalization;

namespace Tracefleet.Agent.Costs;

/// <summary>The CPU a process has used so far, from the text of <c>/proc/PID/stat</c>.</summary>
public static class ProcStat
{
    /// <summary>
    /// Clock ticks per second of <c>utime</c>/<c>stime</c> (USER_HZ). It is part of the kernel's ABI, 100 on every
    /// architecture .NET runs on, whatever the kernel's own tick rate is.
    /// </summary>
    public const int TicksPerSecond = 100;

    // Fields after the command's closing parenthesis, counted from 0 (state): utime is field 14 of proc(5), stime 15.
    private const int UtimeAfterComm = 11;
    private const int StimeAfterComm = 12;

    /// <summary>
    /// Reads <c>utime + stime</c> in clock ticks (<see cref="TicksPerSecond"/>); false for text that is not a stat line.
    /// The command may hold spaces and parentheses, so fields are counted from its last <c>)</c>.
    /// </summary>
    public static bool TryParseCpuTicks(string stat, out long ticks)
    {
        ticks = 0;
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length <= StimeAfterComm
            || !long.TryParse(fields[UtimeAfterComm], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[StimeAfterComm], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return false;
        }

        ticks = user + system;
        return true;
    }
}
