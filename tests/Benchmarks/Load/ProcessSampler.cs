using System.Globalization;

namespace Tracefleet.Benchmarks.Load;

/// <summary>CPU time and peak RSS of another process, read from /proc (Linux only).</summary>
internal sealed class ProcessSampler(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private double _cpuAtStart;
    private DateTime _startedAt;

    public double PeakRssMb { get; private set; }

    public bool Alive => File.Exists($"/proc/{pid}/stat");

    public void Start()
    {
        _cpuAtStart = CpuSeconds();
        _startedAt = DateTime.UtcNow;
        Sample();
    }

    public void Sample()
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        if (line is not null)
        {
            var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            PeakRssMb = Math.Max(PeakRssMb, kb / 1024);
        }
    }

    /// <summary>CPU used since <see cref="Start"/>, in cores (1.0 = one core busy all the time).</summary>
    public double Cores() => (CpuSeconds() - _cpuAtStart) / Math.Max(0.001, (DateTime.UtcNow - _startedAt).TotalSeconds);

    public TimeSpan Elapsed => DateTime.UtcNow - _startedAt;

    private double CpuSeconds()
    {
        // Fields after the command name (which may hold spaces) start after the last ')'; utime, stime are 14, 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
