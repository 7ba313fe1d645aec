using System.Numerics;
using System.Runtime.InteropServices;
using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>Sums per key (and how many hosts had it), all buckets together; saturated, never wrapped.</summary>
public sealed class KeySums : ScanSink
{
    public Dictionary<long, KeyTotal> Keys { get; } = [];

    public override bool SumsOnly => true;

    /// <summary>What the sums hold, roughly, in bytes: what <see cref="SettledBucketCache"/> counts against its budget.</summary>
    public long ApproximateBytes => Keys.Sum(k => 96L + k.Value.BitmapBytes);

    public override void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values)
    {
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
        total.Add(values);
        total.Saw(checked((int)hostId), first: !known);
    }

    /// <summary>Adds every key's sums and hosts of <paramref name="other"/> (left as it is, so it may be shared).</summary>
    public void Add(KeySums other)
    {
        foreach (var (keyId, theirs) in other.Keys)
        {
            ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
            total.Add(theirs, first: !known);
        }
    }
}

/// <summary>
/// A key's sums so far, in its probe's column order, and the hosts that had it (by host id): the first one, then a bitmap
/// of the others once a second shows up. Most keys of a fleet are one host's own (files, churned caches) and never need the
/// bitmap; a fleet-wide top over days sees each (key, host) in many buckets, which a set of pairs hashed for each of them made
/// the most of the query's time.
/// </summary>
public struct KeyTotal
{
    private RowValues _sums;
    private int _firstHost;
    private int _lastHost;
    private ulong[]? _others;

    public readonly RowValues Sums => _sums;

    public int Hosts { get; private set; }

    /// <summary>The bitmap's bytes (0 while one host has the key).</summary>
    public readonly long BitmapBytes => _others is null ? 0 : 24 + (8L * _others.Length);

    /// <summary>Adds one contribution, saturating.</summary>
    public void Add(ReadOnlySpan<ulong> values) => _sums.Add(values);

    /// <summary>Adds <paramref name="other"/>'s sums and hosts; <paramref name="first"/> when this key had nothing yet. Never changes <paramref name="other"/>.</summary>
    public void Add(in KeyTotal other, bool first)
    {
        if (first)
        {
            this = other;
            _others = other._others?.Clone() as ulong[];
            return;
        }

        _sums.Add(other._sums.AsSpan());
        Saw(other._firstHost, first: false);
        if (other._others is not { } theirs)
        {
            return;
        }

        Grow(theirs.Length - 1);
        for (var word = 0; word < theirs.Length; word++)
        {
            // The first host is counted already and never in the bitmap.
            var added = theirs[word] & ~_others![word] & ~(word == _firstHost >> 6 ? 1UL << (_firstHost & 63) : 0);
            _others[word] |= added;
            Hosts += BitOperations.PopCount(added);
        }
    }

    /// <summary>Counts host <paramref name="host"/> once; <paramref name="first"/> for the key's first contribution.</summary>
    public void Saw(int host, bool first)
    {
        if (first)
        {
            (_firstHost, _lastHost, Hosts) = (host, host, 1);
            return;
        }

        if (host == _lastHost || host == _firstHost)
        {
            _lastHost = host;
            return;
        }

        _lastHost = host;
        var word = host >> 6;
        Grow(word);
        var bit = 1UL << (host & 63);
        if ((_others![word] & bit) == 0)
        {
            _others[word] |= bit;
            Hosts++;
        }
    }

    private void Grow(int word)
    {
        if (_others is null || _others.Length <= word)
        {
            Array.Resize(ref _others, Math.Max(word + 1, (_others?.Length ?? 0) * 2));
        }
    }
}
