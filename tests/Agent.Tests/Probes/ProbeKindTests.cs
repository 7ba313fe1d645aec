using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Tests.Probes;

/// <summary>The agent's probes are the catalogue's, in its order: a catalogue entry without a member would be offered and then fail.</summary>
public sealed class ProbeKindTests
{
    [Fact]
    public void ProbeKind_EveryCatalogueEntry_HasTheMemberAtItsPosition()
    {
        var members = Enum.GetValues<ProbeKind>();

        Assert.Equal(ProbeCatalogue.All.Count, members.Length);
        Assert.Equal(ProbeCatalogue.All.Select(p => p.Name), members.Select(p => p.Name()));
        Assert.All(ProbeCatalogue.All, entry => Assert.True(ProbeNames.TryParse(entry.Name, out _), entry.Name));
    }
}
