using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>Sums per key (and how many hosts had it), all buckets together; saturated, never wrapped.</summary>
public sealed class KeySums : ScanSink
{
    private readonly HashSet<(long Key, long Host)> _seen = [];

    public Dictionary<long, KeyTotal> Keys { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values)
    {
        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
        total.Add(values);
        // Rows arrive grouped by host (each read is ordered by host), so the set is asked once per run of a host.
        if (!known || total.LastHost != hostId)
        {
            total.LastHost = hostId;
            if (_seen.Add((keyId, hostId)))
            {
                total.Hosts++;
            }
        }
    }
}

/// <summary>A key's sums so far, in its probe's column order, and the hosts that had it.</summary>
public struct KeyTotal
{
    private RowValues _sums;

    public readonly RowValues Sums => _sums;

    public int Hosts { get; set; }

    public long LastHost { get; set; }

    /// <summary>Adds one contribution, saturating.</summary>
    public void Add(ReadOnlySpan<ulong> values) => _sums.Add(values);
}
