using Microsoft.Extensions.Logging.Abstractions;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Probes.Descriptors;
using Tracefleet.Agent.Tests.Support;

namespace Tracefleet.Agent.Tests.Probes.Descriptors;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProbeLibraryTests : IDisposable
{
    private readonly DescriptorFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_BuiltInsAndAUserProbe_EveryOneKnownAndItsHeaderRecognised()
    {
        _folder.Write(name: "libcalls");

        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, _folder.Path, NullLogger.Instance);

        Assert.Equal(["kmem", "libcalls", "pagefaults"], library.Probes.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(library.Refusals);
        Assert.Same(ProbeCatalogue.PageFaults, library.Probes["pagefaults"].Definition);
        Assert.True(HeaderLine.TryParse("   CALLS LIBCALLS", out var format));
        Assert.Equal(new TableFormat(library.Probes["libcalls"].Definition, KeyLayout.Plain), format);
    }

    [Fact]
    public void Load_OneBadDescriptorAmongGoodOnes_TheOthersLoadAndItsReasonIsKept()
    {
        _folder.Write(name: "goodcalls");
        File.WriteAllText(Path.Combine(_folder.Path, "broken.probe.yaml"), "name: broken\ncolumns: [\n");

        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, _folder.Path, NullLogger.Instance);

        Assert.Contains("goodcalls", library.Probes.Keys);
        Assert.Null(library.Find("broken", out var problem));
        Assert.Contains("broken.probe.yaml: line", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UserProbeTakingABuiltInName_RefusedAndTheBuiltInStays()
    {
        _folder.Write(name: "kmem");

        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, _folder.Path, NullLogger.Instance);

        Assert.Equal(Path.Combine(Fixtures.ProbeScriptsDir, "kmem.probe.yaml"), library.Probes["kmem"].Path);
        Assert.Contains("a probe of --probes-dir takes a name of its own", library.Refusals["kmem"], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_NoDescriptorNamesIt_SaysWhatIsKnown()
    {
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);

        Assert.Null(library.Find("nosuch", out var problem));
        Assert.Equal("no descriptor names probe \"nosuch\" (known: kmem, pagefaults)", problem);
    }

    [Fact]
    public async Task PlanAsync_UntrustedScript_NoPlanAndWhy()
    {
        _folder.Write(name: "loosecalls");
        File.SetUnixFileMode(_folder.ScriptPath, File.GetUnixFileMode(_folder.ScriptPath) | UnixFileMode.OtherWrite);
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, _folder.Path, NullLogger.Instance);
        var bpftrace = new BackendDecision(BackendChoice.Bpftrace, "/usr/bin/bpftrace", "test");

        var (plan, problem) = await ProbePlanner.PlanAsync(bpftrace, library.Probes["loosecalls"], (_, _) => Task.FromResult(true), CancellationToken.None);

        Assert.Null(plan);
        Assert.Contains("is writable by its group or by everyone", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "bpftrace/handle_mm_fault", "pfstat_vma.bt")]
    [InlineData(false, "bpftrace/filemap", "pfstat.bt")]
    public async Task PlanAsync_PageFaults_FirstVariantWhoseRequirementAttaches(bool kprobesAttach, string variant, string script)
    {
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);
        var bpftrace = new BackendDecision(BackendChoice.Bpftrace, "/usr/bin/bpftrace", "test");
        var asked = new List<string>();

        var (plan, _) = await ProbePlanner.PlanAsync(bpftrace, library.Probes["pagefaults"], (probe, _) =>
        {
            asked.Add(probe);
            return Task.FromResult(kprobesAttach);
        }, CancellationToken.None);

        Assert.Equal(["kprobe:handle_mm_fault"], asked);
        Assert.Equal(variant, plan?.Variant);
        Assert.Equal(["-B", "line", Path.Combine(Fixtures.ProbeScriptsDir, "bpftrace", script)], plan?.Arguments);
    }

    [Fact]
    public async Task PlanAsync_KmemOnStap_RunsItsStapScript()
    {
        var library = ProbeLibrary.Load(Fixtures.ProbeScriptsDir, null, NullLogger.Instance);
        var stap = new BackendDecision(BackendChoice.Stap, "/usr/bin/stap", "test");

        var (plan, _) = await ProbePlanner.PlanAsync(stap, library.Probes["kmem"], (_, _) => Task.FromResult(false), CancellationToken.None);

        Assert.Equal(("stap/vm.kmem_cache", "Needs kernel debuginfo and module loading."), (plan?.Variant, plan?.Limitations));
    }
}
