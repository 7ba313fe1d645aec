using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Probes;

public sealed class BpftraceSharingTests
{
    private static readonly ProbeLibrary Library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);

    private static readonly BackendDecision Bpftrace = new(BackendChoice.Bpftrace, "/usr/bin/bpftrace", "test");

    [Fact]
    public void Share_PagefaultsAndKmemBuiltIns_OneBpftraceRunningBothWithTheirOwnVariants()
    {
        var pagefaults = Plan("pagefaults", "bpftrace/filemap");
        var kmem = Plan("kmem", "bpftrace/kmem-tracepoints");

        var plans = BpftraceSharing.Share([pagefaults, kmem], BpftraceSharing.ReadPinned, out var notes);

        Assert.Empty(notes);
        var shared = Assert.Single(plans);
        Assert.Equal(["pagefaults", "kmem"], shared.Each.Select(p => p.Probe.Name));
        Assert.Equal(["bpftrace/filemap (shared bpftrace)", "bpftrace/kmem-tracepoints (shared bpftrace)"], shared.Each.Select(p => p.Variant));
        Assert.Equal([pagefaults.Limitations, kmem.Limitations], shared.Each.Select(p => p.Limitations));
        Assert.Equal("/usr/bin/bpftrace", shared.Executable);
        Assert.Equal(["-B", "line", "-e"], shared.Arguments.Take(3));
        // The program itself is the argument: no file of it exists for anyone to change.
        var program = shared.Arguments[3];
        Assert.Contains("\"FAULTS\"", program, StringComparison.Ordinal);
        Assert.Contains("\"ALLOCS\"", program, StringComparison.Ordinal);
        Assert.False(File.Exists(program));
    }

    [Fact]
    public void Share_TwoProbesOfTheSameScript_RunSeparatelySayingWhichMapCollides()
    {
        var pagefaults = Plan("pagefaults", "bpftrace/filemap");
        var copy = pagefaults with { Probe = Library.Probes["kmem"].Definition };

        var plans = BpftraceSharing.Share([pagefaults, copy], BpftraceSharing.ReadPinned, out var notes);

        Assert.Equal([pagefaults, copy], plans);
        var note = Assert.Single(notes);
        Assert.Matches("^kmem runs its own bpftrace: map @[a-z_]+ is used by both pfstat.bt and pfstat.bt", note);
    }

    [Fact]
    public void Share_ScriptChangedSinceItWasPinned_RunsAloneAndTheOthersStillShare()
    {
        var pagefaults = Plan("pagefaults", "bpftrace/filemap");
        var kmem = Plan("kmem", "bpftrace/kmem-tracepoints");
        var vma = Plan("pagefaults", "bpftrace/handle_mm_fault");
        var tampered = vma with { Script = vma.Script! with { Sha256 = new string('0', 64) } };

        var plans = BpftraceSharing.Share([tampered, pagefaults, kmem], BpftraceSharing.ReadPinned, out var notes);

        Assert.Equal(2, plans.Count);
        Assert.Same(tampered, plans[0]);
        Assert.Equal(["pagefaults", "kmem"], plans[1].Members.Select(p => p.Probe.Name));
        var note = Assert.Single(notes);
        Assert.StartsWith("pagefaults runs its own bpftrace: ", note, StringComparison.Ordinal);
        Assert.Contains("the descriptor pins " + new string('0', 64), note, StringComparison.Ordinal);
    }

    [Fact]
    public void Share_MergedProgramLongerThanOneArgument_RunsAloneSayingSo()
    {
        var pagefaults = Plan("pagefaults", "bpftrace/filemap");
        var kmem = Plan("kmem", "bpftrace/kmem-tracepoints");
        var padding = "/* " + new string('x', BpftraceSharing.MaxProgramBytes) + " */\n";

        var plans = BpftraceSharing.Share(
            [pagefaults, kmem],
            v => v == kmem.Script ? (BpftraceSharing.ReadPinned(v).Text + "\nkprobe:vfs_read { @r = count(); " + padding + "}\n", null) : BpftraceSharing.ReadPinned(v),
            out var notes);

        Assert.Equal([pagefaults, kmem], plans);
        Assert.Contains("kmem runs its own bpftrace: merged with the others its program would be", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Share_OneBpftracePlanAndStapPlans_NothingSharedNothingSaid()
    {
        var stap = new BackendDecision(BackendChoice.Stap, "/usr/bin/stap", "test");
        var alone = Plan("pagefaults", "bpftrace/filemap");
        var stapKmem = ProbePlanner.Of(stap, Library.Probes["kmem"], Library.Probes["kmem"].Variants.Single(v => v.Tracer == BackendChoice.Stap));

        var plans = BpftraceSharing.Share([alone, stapKmem], BpftraceSharing.ReadPinned, out var notes);

        Assert.Equal([alone, stapKmem], plans);
        Assert.Empty(notes);
    }

    private static ProbePlan Plan(string probe, string variant)
    {
        var descriptor = Library.Probes[probe];
        return ProbePlanner.Of(Bpftrace, descriptor, descriptor.Variants.Single(v => v.Name == variant));
    }
}
