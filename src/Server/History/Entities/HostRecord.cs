namespace Tracefleet.Server.History.Entities;

/// <summary>A host that has ever reported, as its agent last described it.</summary>
public sealed class HostRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string Os { get; set; } = "";

    public string Kernel { get; set; } = "";

    public string Backend { get; set; } = "";

    public string AgentVersion { get; set; } = "";

    /// <summary>The agent's probes (name, variant, limitations) as JSON; read whole, never queried into.</summary>
    public string ProbesJson { get; set; } = "[]";

    public long FirstSeenUnixMs { get; set; }

    public long LastSeenUnixMs { get; set; }
}
