using Tracefleet.Agent.Costs;

namespace Tracefleet.Agent.Tests.Costs;

/// <summary>
/// The /proc parsers on text captured from a running bpftrace (v0.17.0, kernel 6.18, x86-64) counting
/// <c>tracepoint:raw_syscalls:sys_enter</c> into a map, with BPF run-time statistics on.
/// </summary>
public class ProcTextTests
{
    // Capture: /proc/PID/stat of that bpftrace.
    private const string CapturedStat =
        "24412 (bpftrace) S 24371 24368 18826 0 -1 4194560 9780 0 8 0 11 11 0 0 20 0 1 0 3719647 230481920 22671 18446744073709551615 94007248306176 94007250084805 140725648839360 0 0 0 0 0 16898 1 0 0 17 1 0 0 0 0 0 94007250588872 94007250611344 94007564218368 140725648844564 140725648844673 140725648844673 140725648846822 0\n";

    // Capture: /proc/PID/status of that bpftrace, its namespace, signal and CPU-set lines left out.
    private const string CapturedStatus = """
        Name:	bpftrace
        Umask:	0022
        State:	S (sleeping)
        Tgid:	24412
        Ngid:	0
        Pid:	24412
        PPid:	24371
        TracerPid:	0
        Uid:	0	0	0	0
        Gid:	0	0	0	0
        FDSize:	256
        Kthread:	0
        VmPeak:	  225080 kB
        VmSize:	  225080 kB
        VmLck:	       0 kB
        VmPin:	       8 kB
        VmHWM:	   90976 kB
        VmRSS:	   90976 kB
        RssAnon:	   29660 kB
        RssFile:	   61316 kB
        RssShmem:	       0 kB
        Threads:	1

        """;

    // Capture: /proc/PID/fdinfo/9 of that bpftrace, the tracepoint's program (prog_type 5).
    private const string CapturedProgramFdinfo = """
        pos:	0
        flags:	02000002
        mnt_id:	17
        ino:	1039
        prog_type:	5
        prog_jited:	1
        prog_tag:	560e29b6a168615e
        memlock:	4096
        prog_id:	1255
        run_time_ns:	39766317
        run_cnt:	207328
        recursion_misses:	0
        verified_insns:	34

        """;

    // Capture: /proc/PID/fdinfo/3 of that bpftrace, its hash map.
    private const string CapturedMapFdinfo = """
        pos:	0
        flags:	02000002
        mnt_id:	17
        ino:	1039
        map_type:	5
        key_size:	16
        value_size:	8
        max_entries:	4096
        map_flags:	0x0
        map_extra:	0x0
        memlock:	426880
        map_id:	579
        frozen:	0

        """;

    [Fact]
    public void TryParseCpuTicks_CapturedBpftraceStat_SumsUtimeAndStime()
    {
        Assert.True(ProcStat.TryParseCpuTicks(CapturedStat, out var ticks));

        Assert.Equal(11 + 11, ticks);
    }

    [Fact]
    public void TryParseCpuTicks_CommandWithSpacesAndParentheses_CountsFieldsFromTheLastParenthesis()
    {
        const string stat = "7 (a) b (c) S 1 7 7 0 -1 0 0 0 0 0 250 40 0 0 20 0 1 0 1 0 0\n";

        Assert.True(ProcStat.TryParseCpuTicks(stat, out var ticks));

        Assert.Equal(290, ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24412 bpftrace S 1 2")]
    [InlineData("24412 (bpftrace) S 1 2 3")]
    [InlineData("24412 (bpftrace) S 24371 24368 18826 0 -1 4194560 9780 0 8 0 x 11 0")]
    public void TryParseCpuTicks_NotAStatLine_False(string text) =>
        Assert.False(ProcStat.TryParseCpuTicks(text, out _));

    [Fact]
    public void TryParseRssBytes_CapturedBpftraceStatus_ReadsVmRssAsBytes()
    {
        Assert.True(ProcStatus.TryParseRssBytes(CapturedStatus, out var bytes));

        Assert.Equal(90976L * 1024, bytes);
    }

    [Theory]
    [InlineData("Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n")]
    [InlineData("VmRSS:\t   lots kB\n")]
    [InlineData("VmRSS:\t   12 MB\n")]
    public void TryParseRssBytes_NoUsableVmRss_False(string text) =>
        Assert.False(ProcStatus.TryParseRssBytes(text, out _));

    [Fact]
    public void TryParse_CapturedProgramFdinfo_ReadsIdRunTimeAndRuns()
    {
        var counters = BpfProgramCounters.TryParse(CapturedProgramFdinfo);

        Assert.Equal(new BpfProgramCounters(1255, 39766317, 207328), counters);
    }

    [Fact]
    public void TryParse_CapturedMapFdinfo_Null() =>
        Assert.Null(BpfProgramCounters.TryParse(CapturedMapFdinfo));

    [Fact]
    public void TryParse_ProgramWithoutRunCounters_Null()
    {
        // Kernels before 5.1 print no run_time_ns/run_cnt.
        var old = string.Join('\n', CapturedProgramFdinfo.Split('\n').Where(l => !l.StartsWith("run_", StringComparison.Ordinal)));

        Assert.Null(BpfProgramCounters.TryParse(old));
    }
}
