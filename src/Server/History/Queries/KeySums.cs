using Tracefleet.Contract;

namespace Tracefleet.Server.History.Queries;

/// <summary>Sums per key (and how many hosts had it), all buckets together; saturated, never wrapped.</summary>
public sealed class KeySums : ScanSink
{
    private readonly HashSet<(long Key, long Host)> _seen = [];

    public Dictionary<long, KeyTotal> Keys { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, ulong first, ulong second)
    {
        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
        total.First = Counts.Add(total.First, first);
        total.Second = Counts.Add(total.Second, second);
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

/// <summary>A key's sums so far, and the hosts that had it.</summary>
public struct KeyTotal
{
    public ulong First { get; set; }

    public ulong Second { get; set; }

    public int Hosts { get; set; }

    public long LastHost { get; set; }
}

/// <summary>Sums per host, key (when keys are wanted, else all keys together) and output bucket.</summary>
internal sealed class BucketSums(HashSet<long>? keys) : ScanSink
{
    public override IReadOnlySet<long>? KeyFilter => keys;

    public Dictionary<(long Host, long Key, long Bucket), (ulong First, ulong Second)> Buckets { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, ulong first, ulong second)
    {
        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
            Buckets, (hostId, keys is null ? 0 : keyId, bucket), out _);
        total.First = Counts.Add(total.First, first);
        total.Second = Counts.Add(total.Second, second);
    }
}
