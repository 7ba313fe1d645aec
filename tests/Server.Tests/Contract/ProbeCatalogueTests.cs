using Tracefleet.Contract.Probes;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>
/// Learning probes from descriptors, on a registry of the test's own: the process-wide one (<see cref="ProbeCatalogue.Shared"/>)
/// is what other tests' records are made of.
/// </summary>
public sealed class ProbeCatalogueTests
{
    private static readonly ValueColumn Opens = new("opens", "calls", "openat() calls");

    private readonly ProbeRegistry _registry = new(ProbeCatalogue.BuiltIn, ProbeCatalogue.MaxProbes);

    [Fact]
    public void Register_NewProbe_KnownByNameAndByItsStoredNumberAfterTheBuiltIns()
    {
        var probe = Probe("cat_new", Opens);

        var registered = _registry.Register(probe, out var problem);

        Assert.Same(probe, registered);
        Assert.Null(problem);
        Assert.Same(probe, _registry.Find("cat_new"));
        Assert.Same(probe, _registry.FindById(ProbeCatalogue.IdOf("cat_new")));
        Assert.Equal(ProbeCatalogue.BuiltIn, _registry.All.Take(2));
        Assert.Contains(probe, _registry.All);
        Assert.Null(ProbeCatalogue.Find("cat_new"));
        Assert.Equal("topCat_new", probe.TopField);
    }

    [Fact]
    public void IdOf_AnyName_BuiltInsKeepZeroAndOneOthersFromTheNameAlone()
    {
        Assert.Equal((0, 1), (ProbeCatalogue.IdOf("pagefaults"), ProbeCatalogue.IdOf("kmem")));
        // 32-bit FNV-1a of "syscalls" is 0x97C741CB; masked to 31 bits, 398,934,475. Stored history depends on it never
        // changing, so the value is held here as computed outside .NET.
        Assert.Equal(398_934_475, ProbeCatalogue.IdOf("syscalls"));
        Assert.InRange(ProbeCatalogue.IdOf("a"), 2, int.MaxValue);
    }

    [Fact]
    public void Register_SameNameSameColumnsOtherWording_KeepsTheFirst()
    {
        var first = _registry.Register(Probe("cat_same", Opens), out _);

        var again = _registry.Register(Probe("cat_same", Opens) with { Title = "opens, reworded" }, out var problem);

        Assert.Same(first, again);
        Assert.Null(problem);
    }

    [Fact]
    public void Register_SameNameOtherColumns_RefusedSayingBoth()
    {
        _registry.Register(Probe("cat_changed", Opens), out _);

        var changed = _registry.Register(Probe("cat_changed", Opens, new("closes", "calls", "close() calls")), out var problem);

        Assert.Null(changed);
        Assert.Equal(
            "probe cat_changed is known with columns opens keyed by proc; this descriptor has opens, closes keyed by proc: give a changed probe a new name",
            problem);
    }

    [Theory]
    [InlineData("key", "columns: \"key\" is a field every record already has")]
    [InlineData("Faults", "columns: \"Faults\" is no column name")]
    public void Register_ColumnAgainstTheRules_Refused(string column, string expected)
    {
        var refused = _registry.Register(Probe("cat_rules", new ValueColumn(column, "x", "X")), out var problem);

        Assert.Null(refused);
        Assert.StartsWith($"probe cat_rules: {expected}", problem, StringComparison.Ordinal);
        Assert.Null(_registry.Find("cat_rules"));
    }

    [Fact]
    public void Register_ColumnNamedLikeAnotherProbesWithAnotherMeaning_Refused()
    {
        var refused = _registry.Register(Probe("cat_bytes", new ValueColumn("faults", "bytes", "Bytes faulted")), out var problem);

        Assert.Null(refused);
        Assert.StartsWith("probe cat_bytes: column \"faults\" is already pagefaults's with another meaning", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_BusiestKeyFieldOfABuiltIn_Refused()
    {
        // "file" would name its busiest key topFile, which is pagefaults'.
        var refused = _registry.Register(Probe("file", Opens), out var problem);

        Assert.Null(refused);
        Assert.Equal("probe file: fleet summaries already name pagefaults's busiest key topFile; choose another name", problem);
    }

    [Fact]
    public void Register_BusiestKeyFieldLikeABuiltInsNamedOneButForCase_Refused()
    {
        // "cachenamed" would name its busiest key topCachenamed, kmem's busiest named key is topCacheNamed.
        var refused = _registry.Register(Probe("cachenamed", Opens), out var problem);

        Assert.Null(refused);
        Assert.Equal("probe cachenamed: fleet summaries already name kmem's busiest keys topCache and topCacheNamed; choose another name", problem);
    }

    [Fact]
    public void Register_RegistryFull_RefusedNamingTheLimit()
    {
        IReadOnlyList<ProbeDefinition> full = [.. ProbeCatalogue.BuiltIn, Probe("cat_full_a", Opens)];
        var small = new ProbeRegistry(full, max: 3);

        Assert.Null(small.Register(Probe("cat_full_b", Opens), out var problem));
        Assert.Equal("probe cat_full_b: this server already knows 3 probes, the most it takes", problem);

        Assert.NotNull(new ProbeRegistry(full, max: 4).Register(Probe("cat_full_b", Opens), out _));
    }

    private static ProbeDefinition Probe(string name, params ValueColumn[] columns) =>
        new(name, "opens by process", new("process name", "proc"), columns);
}
