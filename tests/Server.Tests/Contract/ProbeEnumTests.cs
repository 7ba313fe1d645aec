using Tracefleet.Contract;
using Tracefleet.Contract.Probes;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>The server stores a probe as its position in the catalogue: the integers already stored keep their meaning.</summary>
public sealed class ProbeEnumTests
{
    [Fact]
    public void Probe_All_IsTheCatalogueInItsOrder()
    {
        Assert.Equal(ProbeCatalogue.All.Count, Probe.All.Count);
        Assert.All(Probe.All, probe => Assert.Same(ProbeCatalogue.All[probe.Id], probe.Definition));
        Assert.Equal(ProbeCatalogue.All.Select(p => p.Name), Probe.All.Select(p => p.Name));
    }

    [Fact]
    public void Catalogue_ProbeAndColumnNames_AreWhatMetricNamesAndUrlsTake()
    {
        // tracefleet_<probe>_<column>_total: Prometheus allows [a-zA-Z_:][a-zA-Z0-9_:]*; the API takes ?probe=<name> as is.
        var names = ProbeCatalogue.All.Select(p => p.Name).Concat(ProbeCatalogue.AllColumns.Select(c => c.Name));

        Assert.All(names, name => Assert.Matches("^[a-z][a-z0-9_]*$", name));
        Assert.Equal(ProbeCatalogue.All.Count, ProbeCatalogue.All.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void Probe_StoredIntegers_StayPagefaultsZeroKmemOne()
    {
        Assert.Equal((0, 1), (Probe.Of(ProbeCatalogue.PageFaults).Id, Probe.Of(ProbeCatalogue.Kmem).Id));
        Assert.Same(ProbeCatalogue.PageFaults, Probe.FromStored(0).Definition);
        Assert.Same(ProbeCatalogue.Kmem, Probe.FromStored(1).Definition);
    }

    [Fact]
    public void Probe_TryParseEveryCatalogueName_GivesThatProbe()
    {
        Assert.All(ProbeCatalogue.All, definition => Assert.True(Probe.TryParse(definition.Name, out var probe) && probe == Probe.Of(definition), definition.Name));
        Assert.False(Probe.TryParse("cpu", out _));
    }

    [Fact]
    public void FromStored_NumberOfNoCatalogueProbe_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Probe.FromStored(ProbeCatalogue.All.Count));
        Assert.Throws<InvalidDataException>(() => Probe.FromStored(-1));
    }

    [Fact]
    public void Of_ProbeOutsideTheCatalogue_Throws()
    {
        var outside = ProbeCatalogue.Kmem with { Name = "kmem3" };

        Assert.Throws<ArgumentException>(() => Probe.Of(outside));
    }

    [Fact]
    public void ValueCount_EveryCatalogueProbe_FitsTheStoredRowWidth()
    {
        Assert.All(ProbeCatalogue.All, probe => Assert.InRange(probe.ValueCount, 1, SnapshotRules.MaxValuesPerRow));
    }
}
