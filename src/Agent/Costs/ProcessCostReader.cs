namespace Tracefleet.Agent.Costs;

/// <summary>
/// Samples what a tracer costs from <c>/proc</c>: the CPU and RSS of the process and its live children, and the
/// counters of every BPF program any of them holds open. A remote tracer's process here is <c>ssh</c>: what it
/// costs the remote kernel is not visible from this machine, only the ssh client's own CPU and memory.
/// </summary>
public static class ProcessCostReader
{
    // A tracer with a process tree deeper or wider than this is not one the agent started; the rest is not counted.
    private const int MaxProcesses = 64;

    /// <summary>The totals of <paramref name="pid"/>'s tree; null when the process is gone (or never was).</summary>
    public static CostSample? Read(int pid, string procRoot = "/proc")
    {
        long ticks = 0;
        long rss = 0;
        ulong runTime = 0;
        ulong runs = 0;
        var programs = new HashSet<uint>();
        var pending = new Queue<int>([pid]);
        var seen = new HashSet<int>();
        while (pending.TryDequeue(out var current) && seen.Count < MaxProcesses)
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var dir = Path.Combine(procRoot, current.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (TryRead(Path.Combine(dir, "stat")) is not { } stat || !ProcStat.TryParseCpuTicks(stat, out var processTicks))
            {
                if (current == pid)
                {
                    return null;
                }

                // A child that exited between listing and reading costs nothing more.
                continue;
            }

            ticks += processTicks;
            if (TryRead(Path.Combine(dir, "status")) is { } status && ProcStatus.TryParseRssBytes(status, out var processRss))
            {
                rss += processRss;
            }

            foreach (var counters in BpfPrograms(dir))
            {
                if (programs.Add(counters.ProgramId))
                {
                    runTime += counters.RunTimeNs;
                    runs += counters.RunCount;
                }
            }

            foreach (var child in Children(dir))
            {
                pending.Enqueue(child);
            }
        }

        return new CostSample(pid, ticks, rss, runTime, runs, programs.Count);
    }

    private static IEnumerable<BpfProgramCounters> BpfPrograms(string dir)
    {
        string[] fds;
        try
        {
            fds = Directory.GetFiles(Path.Combine(dir, "fd"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var fd in fds)
        {
            // The link says what the descriptor is without opening anything: "anon_inode:bpf-prog".
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (target is null || !target.EndsWith("bpf-prog", StringComparison.Ordinal)
                || TryRead(Path.Combine(dir, "fdinfo", Path.GetFileName(fd))) is not { } fdinfo
                || BpfProgramCounters.TryParse(fdinfo) is not { } counters)
            {
                continue;
            }

            yield return counters;
        }
    }

    /// <summary>Children of every thread (<c>task/TID/children</c>, kernels with CONFIG_PROC_CHILDREN).</summary>
    private static IEnumerable<int> Children(string dir)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories(Path.Combine(dir, "task"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            if (TryRead(Path.Combine(task, "children")) is not { } children)
            {
                continue;
            }

            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(child, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var childPid))
                {
                    yield return childPid;
                }
            }
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
