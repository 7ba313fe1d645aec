using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Entities;

/// <summary>One host's probe over one minute or hour: per key count, sum, min, max, packed (see <c>RollupPayload</c>).</summary>
public sealed class RollupRecord
{
    public long Id { get; set; }

    public Tier Tier { get; set; }

    public long HostId { get; set; }

    public Probe Probe { get; set; }

    public long BucketStartUnixMs { get; set; }

    public required byte[] Payload { get; set; }
}
