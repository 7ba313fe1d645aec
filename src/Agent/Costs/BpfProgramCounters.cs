using System.Globalization;

namespace Tracefleet.Agent.Costs;

/// <summary>
/// What the kernel counted for one loaded BPF program: <see cref="RunTimeNs"/> nanoseconds spent in <see cref="RunCount"/>
/// runs. Both only move while BPF run-time statistics are on (<see cref="BpfStats"/>).
/// </summary>
public readonly record struct BpfProgramCounters(uint ProgramId, ulong RunTimeNs, ulong RunCount)
{
    /// <summary>
    /// Reads the text of <c>/proc/PID/fdinfo/FD</c>; null when the descriptor is not a BPF program (a map, a file:
    /// no <c>prog_type</c>) or its counters are missing (kernels before 5.1 have no <c>run_time_ns</c>).
    /// </summary>
    public static BpfProgramCounters? TryParse(string fdinfo)
    {
        var isProgram = false;
        uint? id = null;
        ulong? runTime = null;
        ulong? runs = null;
        foreach (var line in fdinfo.AsSpan().EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            switch (name)
            {
                case "prog_type":
                    isProgram = true;
                    break;
                case "prog_id" when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId):
                    id = parsedId;
                    break;
                case "run_time_ns" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ns):
                    runTime = ns;
                    break;
                case "run_cnt" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    runs = count;
                    break;
                default:
                    break;
            }
        }

        return isProgram && id is { } programId && runTime is { } time && runs is { } runCount
            ? new BpfProgramCounters(programId, time, runCount)
            : null;
    }
}
