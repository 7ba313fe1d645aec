using Tracefleet.Server.History.Encoding;

namespace Tracefleet.Server.History.Queries;

/// <summary>Sums per key (and how many hosts had it), all buckets together; saturated, never wrapped.</summary>
public sealed class KeySums : ScanSink
{
    private readonly Dictionary<long, int> _hostIndex = [];
    private long _lastHostId = long.MinValue;
    private int _lastHost;

    public Dictionary<long, KeyTotal> Keys { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values)
    {
        // Rows arrive grouped by host (each read is ordered by host): the host's number is looked up once per run of it.
        if (hostId != _lastHostId)
        {
            if (!_hostIndex.TryGetValue(hostId, out _lastHost))
            {
                _hostIndex[hostId] = _lastHost = _hostIndex.Count;
            }

            _lastHostId = hostId;
        }

        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
        total.Add(values);
        total.Saw(_lastHost, first: !known);
    }
}

/// <summary>
/// A key's sums so far, in its probe's column order, and the hosts that had it: the first one, then a bitmap by host number
/// once a second shows up. Most keys of a fleet are one host's own (files, churned caches) and never need the bitmap; a
/// fleet-wide top over days sees each (key, host) in many buckets, which a set of pairs hashed for each of them made the
/// most of the query's time.
/// </summary>
public struct KeyTotal
{
    private RowValues _sums;
    private int _firstHost;
    private int _lastHost;
    private ulong[]? _others;

    public readonly RowValues Sums => _sums;

    public int Hosts { get; private set; }

    /// <summary>Adds one contribution, saturating.</summary>
    public void Add(ReadOnlySpan<ulong> values) => _sums.Add(values);

    /// <summary>Counts host number <paramref name="host"/> once; <paramref name="first"/> for the key's first contribution.</summary>
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
        if (_others is null || _others.Length <= word)
        {
            Array.Resize(ref _others, Math.Max(word + 1, (_others?.Length ?? 0) * 2));
        }

        var bit = 1UL << (host & 63);
        if ((_others[word] & bit) == 0)
        {
            _others[word] |= bit;
            Hosts++;
        }
    }
}
