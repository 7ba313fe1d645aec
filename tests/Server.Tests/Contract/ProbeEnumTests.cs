using Tracefleet.Contract.Probes;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>The server stores a probe as its position in the catalogue; its enumeration must list the same probes in the same order.</summary>
public sealed class ProbeEnumTests
{
    [Fact]
    public void Probe_EveryMember_IsTheCatalogueEntryAtItsPosition()
    {
        var members = Enum.GetValues<Probe>();

        Assert.Equal(ProbeCatalogue.All.Count, members.Length);
        Assert.All(members, probe => Assert.Same(ProbeCatalogue.All[(int)probe], probe.Definition()));
        Assert.Equal(ProbeCatalogue.All.Select(p => p.Name), members.Select(p => p.Name()));
    }
}
