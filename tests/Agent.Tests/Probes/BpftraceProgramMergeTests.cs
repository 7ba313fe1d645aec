using System.Text.RegularExpressions;
using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Tests.Probes;

public sealed partial class BpftraceProgramMergeTests
{
    private static readonly BpftraceScriptText Pfstat = BuiltIn("pfstat.bt");

    private static readonly BpftraceScriptText Kmemstat = BuiltIn("kmemstat.bt");

    [Fact]
    public void TryMerge_PfstatAndKmemstat_OneIntervalAndOneEndHoldingBothInOrder()
    {
        Assert.True(BpftraceProgramMerge.TryMerge([Pfstat, Kmemstat], out var program, out var refusal), refusal);

        Assert.Single(ProbeHeader("interval:s:1").Matches(program));
        Assert.Single(ProbeHeader("END").Matches(program));
        Assert.DoesNotContain("#!", program, StringComparison.Ordinal);
        var interval = program[program.IndexOf("\ninterval:s:1", StringComparison.Ordinal)..program.IndexOf("\nEND", StringComparison.Ordinal)];
        var faults = interval.IndexOf("\"FAULTS\"", StringComparison.Ordinal);
        var allocs = interval.IndexOf("\"ALLOCS\"", StringComparison.Ordinal);
        Assert.True(faults >= 0 && allocs > faults, "pfstat's table should be printed first, then kmemstat's, at the same tick:\n" + interval);
        var end = program[program.IndexOf("\nEND", StringComparison.Ordinal)..];
        Assert.Contains("clear(@pending);", end, StringComparison.Ordinal);
        Assert.Contains("clear(@frees);", end, StringComparison.Ordinal);
    }

    [Fact]
    public void TryMerge_PfstatAndKmemstat_KeepsEveryTracepointBlockAndMapOfBoth()
    {
        Assert.True(BpftraceProgramMerge.TryMerge([Pfstat, Kmemstat], out var program, out var refusal), refusal);

        foreach (var script in new[] { Pfstat, Kmemstat })
        {
            foreach (Match probe in Tracepoint().Matches(Code(script.Text)))
            {
                Assert.Contains(probe.Value, program, StringComparison.Ordinal);
            }

            foreach (Match map in MapName().Matches(Code(script.Text)))
            {
                Assert.Contains(map.Value, program, StringComparison.Ordinal);
            }
        }

        Assert.Contains("/@pending[tid]/", program, StringComparison.Ordinal);
        Assert.Equal(
            Tracepoint().Count(Code(Pfstat.Text)) + Tracepoint().Count(Code(Kmemstat.Text)),
            Tracepoint().Count(program));
    }

    [Fact]
    public void TryMerge_SameScriptTwice_RefusesNamingASharedMapAndBothScripts()
    {
        var copy = Pfstat with { Name = "pfstat-copy.bt" };

        Assert.False(BpftraceProgramMerge.TryMerge([Pfstat, copy], out var program, out var refusal));

        Assert.Equal("", program);
        Assert.Matches("^map @[a-z_]+ is used by both pfstat.bt and pfstat-copy.bt", refusal);
    }

    [Fact]
    public void TryMerge_IntervalBodiesShareAVariable_RefusesNamingIt()
    {
        var other = new BpftraceScriptText("loop.bt", "interval:s:1 { $i = 0; while ($i < 4) { @n[$i] = 1; $i++; } print(@n); clear(@n); }");

        Assert.False(BpftraceProgramMerge.TryMerge([Pfstat, other], out _, out var refusal));

        Assert.Equal("variable $i is used in the interval:s:1 blocks of both pfstat.bt and loop.bt, which become one block; rename it in one of them", refusal);
    }

    [Fact]
    public void TryMerge_VariableSharedOnlyBetweenTracepointBlocks_Merges()
    {
        var first = new BpftraceScriptText("a.bt", "tracepoint:sched:sched_switch { $p = args->prev_pid; @a[$p] = count(); }");
        var second = new BpftraceScriptText("b.bt", "tracepoint:sched:sched_switch { $p = args->next_pid; @b[$p] = count(); }");

        Assert.True(BpftraceProgramMerge.TryMerge([first, second], out var program, out var refusal), refusal);

        Assert.Equal(2, ProbeHeader("tracepoint:sched:sched_switch").Count(program));
    }

    [Fact]
    public void TryMerge_MapNamedOnlyInCommentsAndStrings_IsNoCollision()
    {
        var other = new BpftraceScriptText("quiet.bt", "/* prints like @faults */\ninterval:s:1 { printf(\"%s\\n\", \"@allocs {\"); @quiet = count(); }");

        Assert.True(BpftraceProgramMerge.TryMerge([Kmemstat, other], out var program, out var refusal), refusal);

        Assert.Contains("\"@allocs {\"", program, StringComparison.Ordinal);
        Assert.Single(ProbeHeader("interval:s:1").Matches(program));
    }

    [Fact]
    public void TryMerge_UnclosedBlock_RefusesNamingTheScript()
    {
        var broken = new BpftraceScriptText("broken.bt", "tracepoint:kmem:kmem_cache_free { @gone = count();");

        Assert.False(BpftraceProgramMerge.TryMerge([Kmemstat, broken], out _, out var refusal));

        Assert.StartsWith("broken.bt: ", refusal, StringComparison.Ordinal);
        Assert.Contains("no closing '}'", refusal, StringComparison.Ordinal);
    }

    private static BpftraceScriptText BuiltIn(string name) =>
        new(name, File.ReadAllText(Path.Combine(RepositoryRoot(), "scripts", "probes", "bpftrace", name)));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The text without its comments: the scripts' headers name probes and maps in prose.</summary>
    private static string Code(string text) => Comment().Replace(text, "");

    private static Regex ProbeHeader(string spec) => new("^" + Regex.Escape(spec) + @"\s*$", RegexOptions.Multiline);

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"tracepoint:[a-z_]+:[a-z_]+")]
    private static partial Regex Tracepoint();

    [GeneratedRegex(@"@[a-z_]+")]
    private static partial Regex MapName();
}
