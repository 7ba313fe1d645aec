using Tracefleet.Contract.Probes;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Tests.History;

/// <summary>The catalogue's probes as the store keeps them, by name.</summary>
internal static class StoredProbes
{
    public static Probe PageFaults { get; } = Probe.Of(ProbeCatalogue.PageFaults);

    public static Probe Kmem { get; } = Probe.Of(ProbeCatalogue.Kmem);
}
