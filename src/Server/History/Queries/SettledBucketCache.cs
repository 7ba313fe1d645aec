using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Queries;

/// <summary>
/// The fleet-wide sums per key of settled rollup buckets (one tier, probe and bucket start, every host summed, with the hosts
/// that had each key), kept between queries: a fleet top over a week at 1,000 hosts reads ~50,000 hour and minute blobs for the
/// unaligned start and end of its range, and the same few hundred fleet-wide sums answer them. A bucket is kept only while it
/// is settled (a minute ending by <see cref="Entities.HistoryStateRecord.SettledBeforeUnixMs"/>, a built hour or day) and
/// nothing is kept across a change of <see cref="Entities.HistoryStateRecord.SettledRevision"/>, which every write to a settled
/// bucket moves (and so does dropping a PostgreSQL partition of rollups); retention and the size cap delete a tier's oldest
/// buckets first, so the reader uses only buckets after the tier's oldest (see <see cref="HistoryReader"/>). Bounded by <see cref="HistoryOptions.QueryCacheMb"/>: past it, the buckets
/// used longest ago go. Shared by every request; what it hands out is never changed.
/// </summary>
public sealed class SettledBucketCache(IOptions<HistoryOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(Tier Tier, int Probe, long Start), Entry> _buckets = [];
    private long _revision = long.MinValue;
    private long _bytes;
    private long _clock;

    /// <summary>Whether anything may be kept (<see cref="HistoryOptions.QueryCacheMb"/> above 0).</summary>
    public bool Enabled => options.Value.QueryCacheMb > 0;

    /// <summary>Buckets kept now, and their approximate bytes.</summary>
    public (int Buckets, long Bytes) Size
    {
        get
        {
            lock (_lock)
            {
                return (_buckets.Count, _bytes);
            }
        }
    }

    /// <summary>The bucket's sums kept at <paramref name="revision"/>; null when none are (everything kept at another revision is dropped).</summary>
    public KeySums? Get(long revision, Tier tier, int probe, long start)
    {
        lock (_lock)
        {
            Revise(revision);
            if (revision != _revision || !_buckets.TryGetValue((tier, probe, start), out var entry))
            {
                return null;
            }

            entry.LastUsed = ++_clock;
            return entry.Sums;
        }
    }

    /// <summary>Keeps <paramref name="sums"/> (not to be changed after) as the bucket's at <paramref name="revision"/>, then trims to the budget.</summary>
    public void Put(long revision, Tier tier, int probe, long start, KeySums sums)
    {
        var bytes = sums.ApproximateBytes;
        var budget = options.Value.QueryCacheMb * 1024 * 1024;
        lock (_lock)
        {
            Revise(revision);
            if (revision != _revision || bytes > budget)
            {
                return;
            }

            if (_buckets.Remove((tier, probe, start), out var replaced))
            {
                _bytes -= replaced.Bytes;
            }

            _buckets[(tier, probe, start)] = new Entry(sums, bytes) { LastUsed = ++_clock };
            _bytes += bytes;
            if (_bytes > budget)
            {
                // Oldest use first, down to three quarters of the budget, so a full cache is not trimmed at every put.
                foreach (var (key, entry) in _buckets.OrderBy(b => b.Value.LastUsed).ToList())
                {
                    if (_bytes <= budget * 3 / 4)
                    {
                        break;
                    }

                    _buckets.Remove(key);
                    _bytes -= entry.Bytes;
                }
            }
        }
    }

    // Revisions only grow: a read that began before a newer one was seen keeps nothing and drops nothing.
    private void Revise(long revision)
    {
        if (revision > _revision)
        {
            _buckets.Clear();
            (_bytes, _revision) = (0, revision);
        }
    }

    private sealed class Entry(KeySums sums, long bytes)
    {
        public KeySums Sums { get; } = sums;

        public long Bytes { get; } = bytes;

        public long LastUsed { get; set; }
    }
}
