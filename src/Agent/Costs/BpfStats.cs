using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tracefleet.Agent.Costs;

/// <summary>
/// Whether the kernel counts the time spent in BPF programs (<c>run_time_ns</c>, <c>run_cnt</c> in fdinfo), which is
/// how the agent sees what a bpftrace probe costs inside the kernel. <see cref="Enable"/> turns the counting on the way
/// that cleans up after itself: <c>bpf(BPF_ENABLE_STATS)</c> returns a descriptor, the counting stays on while any
/// such descriptor is open, and it goes off when the agent exits however it exits; no sysctl is left behind.
/// <para>
/// What it costs: two clock reads around every run of every BPF program on the host (the agent's and anyone else's),
/// and nothing for programs that do not run. Measured on a 2-core virtual machine (kernel 6.18, bpftrace 0.17) with a
/// cheap probe on every syscall (<c>tracepoint:raw_syscalls:sys_enter { @n = count(); }</c>) under <c>dd bs=1</c>
/// (2·10⁶ syscalls a run, 12 runs alternating on and off, CPU time of dd): 2.68 µs a syscall with counting off, 2.67
/// with it on (median; the difference, −17 ns, is inside the machine's noise of about ±60 ns). The program itself
/// ran 170–190 ns a run, clock reads included. <c>--bpf-stats off</c> saves the clock reads and leaves the kernel
/// figures unknown, unless something else turned the counting on.
/// </para>
/// </summary>
public sealed partial class BpfStats : IDisposable
{
    /// <summary>The sysctl that says whether counting is on (1) for whatever reason, ours or another program's.</summary>
    public const string SysctlPath = "/proc/sys/kernel/bpf_stats_enabled";

    private const int BpfEnableStats = 32;
    private const uint BpfStatsRunTime = 0;
    private const long SysBpfX64 = 321;
    private const long SysBpfArm64 = 280;

    private readonly SafeFileHandle? _handle;
    private readonly string _sysctlPath;

    private BpfStats(SafeFileHandle? handle, string sysctlPath, string description)
    {
        _handle = handle;
        _sysctlPath = sysctlPath;
        Description = description;
    }

    /// <summary>True while run times are counted: the agent holds its descriptor, or the sysctl reads 1 now.</summary>
    public bool KernelTimeKnown => _handle is { IsInvalid: false, IsClosed: false } || IsSysctlOn(_sysctlPath);

    /// <summary>Says how counting came to be on or why it is not, for the log.</summary>
    public string Description { get; }

    /// <summary>
    /// With <paramref name="wanted"/>, asks the kernel to count (needs CAP_SYS_ADMIN or CAP_BPF, kernel 5.8 or later, a
    /// 64-bit x86 or ARM machine); otherwise, or when that fails, relies on the sysctl. Never throws.
    /// </summary>
    public static BpfStats Enable(bool wanted, string sysctlPath = SysctlPath)
    {
        if (!wanted)
        {
            return new BpfStats(null, sysctlPath, IsSysctlOn(sysctlPath)
                ? "--bpf-stats off, but something else has kernel.bpf_stats_enabled on: in-kernel time is measured"
                : "--bpf-stats off: the time probes spend in the kernel is not measured");
        }

        string why;
        if (!OperatingSystem.IsLinux())
        {
            why = "not Linux";
        }
        else if (SyscallNumber() is not { } number)
        {
            why = $"no bpf(2) syscall number known for {RuntimeInformation.ProcessArchitecture}";
        }
        else
        {
            var attr = BpfStatsRunTime;
            var fd = Syscall(number, BpfEnableStats, ref attr, sizeof(uint));
            if (fd >= 0)
            {
                return new BpfStats(new SafeFileHandle((nint)fd, ownsHandle: true), sysctlPath, "BPF run-time statistics on while the agent runs (bpf BPF_ENABLE_STATS)");
            }

            why = $"bpf(BPF_ENABLE_STATS) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }

        return new BpfStats(null, sysctlPath, IsSysctlOn(sysctlPath)
            ? $"{why}; kernel.bpf_stats_enabled is on already: in-kernel time is measured"
            : $"{why}: the time probes spend in the kernel is not measured");
    }

    public void Dispose() => _handle?.Dispose();

    private static long? SyscallNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SysBpfX64,
        Architecture.Arm64 => SysBpfArm64,
        _ => null,
    };

    private static bool IsSysctlOn(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // syscall(2) is variadic; on x86-64 and arm64 Linux its integer arguments travel as a fixed-argument call's do.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long command, ref uint attr, uint size);
}
