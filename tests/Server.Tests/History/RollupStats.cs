using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.Tests.History;

/// <summary>A rollup blob read back as the rollup pass reads a stored bucket: merged into empty statistics.</summary>
public static class RollupStats
{
    public static Dictionary<long, KeyStats> Of(ReadOnlySpan<byte> payload)
    {
        var keys = new Dictionary<long, KeyStats>();
        var merge = new RollupPayload.MergeInto(keys);
        RollupPayload.Decode(payload, ref merge);
        return keys;
    }
}
