namespace Tracefleet.Server.History.Entities;

/// <summary>
/// A probe the server learnt from an agent's descriptor, kept so that its history stays readable (columns, key meaning)
/// after every agent that runs it is gone. The built-in probes have no row: the catalogue holds them.
/// </summary>
public sealed class ProbeRecord
{
    /// <summary><see cref="ProbeCatalogue.IdOf"/> of <see cref="Name"/>: the number snapshots and rollups store.</summary>
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The definition as JSON (<see cref="Contract.Probes.ProbeDefinition"/>); read whole, never queried into.</summary>
    public required string DefinitionJson { get; set; }

    public long FirstSeenUnixMs { get; set; }
}
