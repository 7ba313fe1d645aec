using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Queries;

/// <summary>A half-open time slice [Start, End) in Unix milliseconds.</summary>
public readonly record struct Slice(long Start, long End);

/// <summary>Hour and day buckets ending by these times (Unix ms) are built from their minutes and hours (see <see cref="Maintenance.Folding"/>).</summary>
public readonly record struct FoldedBefore(long Hours, long Days);

/// <summary>Which tier answers which part of a range: day, hour, minute buckets, and raw snapshots for the rest.</summary>
public sealed record TierPlan(IReadOnlyList<(Tier Tier, IReadOnlyList<Slice> Slices)> Rollups, IReadOnlyList<Slice> Raw)
{
    /// <summary>
    /// Cuts [from, to) into whole day buckets, then whole hour and minute buckets in what is left, then raw.
    /// A bucket is used only when it starts at or after <paramref name="from"/>, ends by <paramref name="bucketsEnd"/>
    /// and lies inside one output bucket of <paramref name="stepMs"/> counted from <paramref name="origin"/> (0: the
    /// whole range is one output bucket). A bucket may be still open (snapshots not rolled up yet): the reader adds
    /// those from raw. <paramref name="bucketsEnd"/> is <paramref name="to"/>, or beyond it when nothing starts at or
    /// after <paramref name="to"/> (a bucket reaching past the present holds nothing past it). Hour and day buckets are used
    /// only where they are built (<paramref name="folded"/>; default: all). So the sums equal raw sums exactly.
    /// </summary>
    public static TierPlan Make(long from, long to, long bucketsEnd, long origin, long stepMs, FoldedBefore? folded = null)
    {
        var (hours, days) = folded ?? new FoldedBefore(long.MaxValue, long.MaxValue);
        var rollups = new List<(Tier, IReadOnlyList<Slice>)>();
        var covered = new List<Slice>();
        foreach (var tier in Tiers.Tiers.CoarsestFirst)
        {
            var end = tier switch { Tier.Day => Math.Min(bucketsEnd, days), Tier.Hour => Math.Min(bucketsEnd, hours), _ => bucketsEnd };
            var slices = Buckets(tier, from, to, end, origin, stepMs, covered);
            rollups.Add((tier, slices));
            covered = Merge([.. covered, .. slices]);
        }

        var raw = new List<Slice>();
        var at = from;
        foreach (var span in covered)
        {
            if (span.Start >= to)
            {
                break;
            }

            if (span.Start > at)
            {
                raw.Add(new Slice(at, span.Start));
            }

            at = span.End;
        }

        if (at < to)
        {
            raw.Add(new Slice(at, to));
        }

        return new TierPlan(rollups, raw);
    }

    private static List<Slice> Buckets(Tier tier, long from, long to, long bucketsEnd, long origin, long stepMs, List<Slice> taken)
    {
        var size = tier.BucketMs();
        var spans = new List<Slice>();
        var next = 0;
        var b = tier.BucketStart(from) == from ? from : tier.BucketStart(from) + size;
        // Buckets starting before the range's end and ending by bucketsEnd.
        while (b < to && b <= bucketsEnd - size)
        {
            while (next < taken.Count && taken[next].End <= b)
            {
                next++;
            }

            if (next < taken.Count && taken[next].Start <= b)
            {
                // Already answered by a coarser tier: skip to its end (coarser buckets are aligned to finer ones).
                b = taken[next].End;
                continue;
            }

            if (stepMs == 0 || (b - origin) / stepMs == (b + size - 1 - origin) / stepMs)
            {
                if (spans.Count > 0 && spans[^1].End == b)
                {
                    spans[^1] = spans[^1] with { End = b + size };
                }
                else
                {
                    spans.Add(new Slice(b, b + size));
                }
            }

            b += size;
        }

        return spans;
    }

    private static List<Slice> Merge(List<Slice> slices)
    {
        slices.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<Slice>(slices.Count);
        foreach (var span in slices)
        {
            if (merged.Count > 0 && merged[^1].End >= span.Start)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, span.End) };
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }
}
