using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Tests.Probes;

public class BackendSelectorTests
{
    private const string Bpftrace = "/usr/bin/bpftrace";
    private const string Stap = "/usr/bin/stap";
    private const string Dtrace = "/usr/sbin/dtrace";

    [Fact]
    public void Choose_AutoWithEverythingAndRootAndTracefs_PrefersBpftrace()
    {
        var decision = BackendSelector.Choose(BackendChoice.Auto, new HostFacts(Bpftrace, Stap, Dtrace, IsRoot: true, TracefsMounted: true));

        Assert.Equal(BackendChoice.Bpftrace, decision.Backend);
        Assert.Equal(Bpftrace, decision.Executable);
        Assert.Contains("auto", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, "root")]
    [InlineData(true, false, "tracefs")]
    public void Choose_AutoWhenBpftraceCannotRun_FallsBackToStapAndSaysWhy(bool isRoot, bool tracefs, string why)
    {
        var decision = BackendSelector.Choose(BackendChoice.Auto, new HostFacts(Bpftrace, Stap, Dtrace, isRoot, tracefs));

        Assert.Equal(BackendChoice.Stap, decision.Backend);
        Assert.Equal(Stap, decision.Executable);
        Assert.Contains(why, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_AutoWithOnlyDtrace_ChoosesDtrace()
    {
        var decision = BackendSelector.Choose(BackendChoice.Auto, new HostFacts(null, null, Dtrace, IsRoot: true, TracefsMounted: false));

        Assert.Equal(BackendChoice.Dtrace, decision.Backend);
        Assert.Equal(Dtrace, decision.Executable);
    }

    [Fact]
    public void Choose_ExplicitStapAvailable_ChoosesItEvenWhenBpftraceCould()
    {
        var decision = BackendSelector.Choose(BackendChoice.Stap, new HostFacts(Bpftrace, Stap, Dtrace, IsRoot: true, TracefsMounted: true));

        Assert.Equal(BackendChoice.Stap, decision.Backend);
        Assert.Contains("requested", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackendChoice.Bpftrace, null, true, true, "bpftrace is not on PATH")]
    [InlineData(BackendChoice.Bpftrace, Bpftrace, false, true, "bpftrace needs root")]
    [InlineData(BackendChoice.Bpftrace, Bpftrace, true, false, "mount -t tracefs")]
    [InlineData(BackendChoice.Stap, Bpftrace, true, true, "stap (SystemTap) is not on PATH")]
    [InlineData(BackendChoice.Dtrace, Bpftrace, true, true, "dtrace is not on PATH")]
    public void Choose_ExplicitBackendUnavailable_RefusedWithClearMessage(BackendChoice requested, string? bpftrace, bool isRoot, bool tracefs, string message)
    {
        // Only bpftrace is installed (or nothing): an explicit choice never falls back to another tracer.
        var facts = new HostFacts(bpftrace, null, null, isRoot, tracefs);

        var e = Assert.Throws<BackendUnavailableException>(() => BackendSelector.Choose(requested, facts));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_AutoWithNothing_ThrowsNamingEveryMissingTracer()
    {
        var e = Assert.Throws<BackendUnavailableException>(
            () => BackendSelector.Choose(BackendChoice.Auto, new HostFacts(null, null, null, IsRoot: false, TracefsMounted: false)));

        Assert.Contains("bpftrace is not on PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains("stap (SystemTap) is not on PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains("dtrace is not on PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains("--replay", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_AutoWithBpftraceButNotRootAndNothingElse_ThrowsSayingRootIsMissing()
    {
        var e = Assert.Throws<BackendUnavailableException>(
            () => BackendSelector.Choose(BackendChoice.Auto, new HostFacts(Bpftrace, null, null, IsRoot: false, TracefsMounted: true)));

        Assert.Contains("bpftrace needs root", e.Message, StringComparison.Ordinal);
    }
}
