using Tracefleet.Agent.Parsing;

namespace Tracefleet.Agent.Probes.Descriptors;

/// <summary>
/// A probe as its descriptor file (<c>NAME.probe.yaml</c>) gives it: what it counts, and the scripts that count it on
/// each tracer, in order of preference. The format is documented in <c>scripts/probes/README.md</c>.
/// </summary>
/// <param name="Definition">Its name, key and value columns, as every part of Tracefleet carries them.</param>
/// <param name="Variants">Its scripts; per tracer the first the kernel accepts runs.</param>
/// <param name="Path">The descriptor file.</param>
/// <param name="TrustProblem">
/// Why its files may not run as root (writable by others, not owned by root, a script that is not the pinned one,
/// guru or destructive mode); null when they may. A probe with a problem is still known (a capture of it replays).
/// </param>
public sealed record ProbeDescriptor(ProbeDefinition Definition, IReadOnlyList<ProbeVariant> Variants, string Path, string? TrustProblem)
{
    public string Name => Definition.Name;

    /// <summary>The table formats its variants print, for recognising their headers.</summary>
    public IEnumerable<TableFormat> Formats => Variants.Select(v => new TableFormat(Definition, v.Layout));
}
