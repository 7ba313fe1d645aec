using Tracefleet.Contract;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Services;

/// <summary>
/// One probe's sums per step over a range, as <c>/api/series</c> answers them, read as rates per second and continued by
/// live snapshots: a snapshot adds to the step it starts in, the range's end follows the newest snapshot's end and its
/// start follows at the range's span, and a step that starts before the range goes. So it holds at most span ÷ step + 1
/// steps however long a live page stays open. Each step also keeps its lowest and busiest second per column (from the
/// answer's lows and peaks, and each live snapshot, which is one second); a step with a bucket the answer gave no peaks
/// for has none, rather than a guessed one.
/// </summary>
public sealed class RateBuckets
{
    private readonly SortedDictionary<long, StepValues> _steps = [];
    private readonly DateTime _origin;
    private readonly TimeSpan _step;
    private readonly TimeSpan _span;
    private readonly int _width;

    /// <summary>Live snapshots that start before this were already stored when the series was read: counted in its answer.</summary>
    private readonly DateTime _liveFrom;

    /// <summary>An empty range [<paramref name="from"/>, <paramref name="to"/>) in steps of <paramref name="step"/>, each with <paramref name="width"/> sums (the probe's columns).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is not positive, or <paramref name="to"/> is before <paramref name="from"/>.</exception>
    public RateBuckets(DateTime from, DateTime to, TimeSpan step, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        (_origin, From, To, _step, _span, _width, _liveFrom) = (from, from, to, step, to - from, width, to);
    }

    /// <summary>Start of the range held (UTC); moves with live snapshots.</summary>
    public DateTime From { get; private set; }

    /// <summary>End of the range held (UTC): the answer's end, then the newest live snapshot's end.</summary>
    public DateTime To { get; private set; }

    /// <summary>Length of a step.</summary>
    public TimeSpan Step => _step;

    /// <summary>Steps held: at most span ÷ step + 1.</summary>
    public int Count => _steps.Count;

    /// <summary>
    /// The buckets of <paramref name="answer"/>'s series that <paramref name="take"/> keeps (the host's all-keys series, or
    /// one key's), summed per step; the range and step are the answer's.
    /// </summary>
    public static RateBuckets Of(SeriesResponse answer, ProbeDefinition probe, Func<Series, bool> take)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(take);
        return Of(answer.From, answer.To, answer.StepMs, answer.Series.Where(take).SelectMany(s => s.Points), probe);
    }

    /// <summary>The fleet's buckets of <paramref name="answer"/> (one point a bucket, summed over the hosts); the range and step are the answer's.</summary>
    public static RateBuckets Of(FleetSeriesResponse answer, ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Of(answer.From, answer.To, answer.StepMs, answer.Points, probe);
    }

    private static RateBuckets Of(DateTime from, DateTime to, long stepMs, IEnumerable<SeriesPoint> points, ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var buckets = new RateBuckets(from, to, TimeSpan.FromMilliseconds(Math.Max(1, stepMs)), probe.ValueCount);
        foreach (var point in points)
        {
            var (lows, peaks) = point.Lows is { } l && point.Peaks is { } p ? (l.InColumnOrder(probe), p.InColumnOrder(probe)) : (null, null);
            buckets.AddTo(point.T, point.Values.InColumnOrder(probe), lows, peaks);
        }

        return buckets;
    }

    /// <summary>
    /// A live snapshot of <paramref name="duration"/> starting at <paramref name="start"/> whose column sums are
    /// <paramref name="values"/>: added to its step, the range moved on to its end. False when it was not taken: it
    /// starts before the series' answer ended (the answer counts it already).
    /// </summary>
    public bool Add(DateTime start, TimeSpan duration, IReadOnlyList<ulong> values)
    {
        if (start < _liveFrom)
        {
            return false;
        }

        var end = start + (duration > TimeSpan.Zero ? duration : TimeSpan.Zero);
        if (end > To)
        {
            (To, From) = (end, end - _span);
            var firstKept = (long)Math.Ceiling((From - _origin) / _step);
            while (_steps.Count > 0 && _steps.Keys.First() < firstKept)
            {
                _steps.Remove(_steps.Keys.First());
            }
        }

        // A snapshot is one second: its values are that second's, its step's low and peak as much as its sum.
        AddTo(start, values, values, values);
        return true;
    }

    /// <summary>The sum of <paramref name="rows"/>' values per column, <paramref name="width"/> of them: a snapshot's totals, for <see cref="Add"/>.</summary>
    public static ulong[] Sum(IEnumerable<IReadOnlyList<ulong>> rows, int width)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sums = new ulong[width];
        foreach (var row in rows)
        {
            AddInto(sums, row);
        }

        return sums;
    }

    /// <summary>Per step held, the rate per second of column <paramref name="column"/> (a position in the probe's columns).</summary>
    public IReadOnlyList<ChartPoint> Rates(int column) => RatesOf(sums => sums[column]);

    /// <summary>Per step held, the rate per second of column <paramref name="plus"/> minus column <paramref name="minus"/>: a cache's growth, negative when it shrank.</summary>
    public IReadOnlyList<ChartPoint> NetRates(int plus, int minus) => RatesOf(sums => (double)sums[plus] - sums[minus]);

    /// <summary>
    /// One line per column of <paramref name="probe"/> (<c>faults/s</c>; <c>allocs/s</c>, <c>frees/s</c>), then its net
    /// (<c>net/s</c>) when it has one.
    /// </summary>
    public IReadOnlyList<ChartLine> LinesOf(ProbeDefinition probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var lines = probe.Columns.Select((column, i) => new ChartLine($"{column.Name}/s", Rates(i), Ranges(i))).ToList();
        if (probe.Net is { } net && probe.ColumnIndex(net.Plus.Name) is >= 0 and var plus && probe.ColumnIndex(net.Minus.Name) is >= 0 and var minus)
        {
            lines.Add(new ChartLine($"{net.Name}/s", NetRates(plus, minus)));
        }

        return lines;
    }

    /// <summary>
    /// Per step held whose seconds are all known, the lowest and the busiest second of column <paramref name="column"/>
    /// (<see cref="ChartRange.Of"/>: 0 for the lowest when the step's rate says some of its seconds went unreported).
    /// </summary>
    public IReadOnlyList<ChartRange> Ranges(int column) =>
        [.. _steps.Where(s => s.Value.Lows is not null && s.Value.Peaks is not null)
            .Select(s =>
            {
                var start = _origin + s.Key * _step;
                return ChartRange.Of(start, s.Value.Sums[column] / Seconds(start), s.Value.Lows![column], s.Value.Peaks![column]);
            })];

    private List<ChartPoint> RatesOf(Func<ulong[], double> value)
    {
        var points = new List<ChartPoint>(_steps.Count);
        foreach (var (bucket, step) in _steps)
        {
            var start = _origin + bucket * _step;
            points.Add(new ChartPoint(start, value(step.Sums) / Seconds(start)));
        }

        return points;
    }

    /// <summary>
    /// The seconds a step's sum covers: the whole step, but for the newest one, which runs to the range's end only (a
    /// second at least), so the step still filling shows the rate so far rather than a dip.
    /// </summary>
    private double Seconds(DateTime start)
    {
        var covered = To - start;
        return Math.Max(1, (covered < _step ? covered : _step).TotalSeconds);
    }

    /// <summary>Adds a bucket's sums to its step, and its lowest and busiest second (null: not known, and so the step's are not).</summary>
    private void AddTo(DateTime t, IReadOnlyList<ulong> values, IReadOnlyList<ulong>? lows, IReadOnlyList<ulong>? peaks)
    {
        if (t < From || t >= To)
        {
            return;
        }

        var bucket = (long)Math.Floor((t - _origin) / _step);
        if (!_steps.TryGetValue(bucket, out var step))
        {
            _steps[bucket] = step = new StepValues(_width, lows, peaks);
        }
        else
        {
            step.Widen(lows, peaks);
        }

        AddInto(step.Sums, values);
    }

    private static void AddInto(ulong[] sums, IReadOnlyList<ulong> values)
    {
        for (var i = 0; i < sums.Length && i < values.Count; i++)
        {
            sums[i] = Counts.Add(sums[i], values[i]);
        }
    }

    /// <summary>A step's sums per column, and its lowest and busiest second per column (null once any part of it is unknown).</summary>
    private sealed class StepValues(int width, IReadOnlyList<ulong>? lows, IReadOnlyList<ulong>? peaks)
    {
        public ulong[] Sums { get; } = new ulong[width];

        public ulong[]? Lows { get; private set; } = lows is null || peaks is null ? null : [.. lows.Take(width)];

        public ulong[]? Peaks { get; private set; } = lows is null || peaks is null ? null : [.. peaks.Take(width)];

        public void Widen(IReadOnlyList<ulong>? lows, IReadOnlyList<ulong>? peaks)
        {
            if (Lows is null || Peaks is null || lows is null || peaks is null)
            {
                (Lows, Peaks) = (null, null);
                return;
            }

            for (var i = 0; i < Lows.Length && i < lows.Count && i < peaks.Count; i++)
            {
                Lows[i] = Math.Min(Lows[i], lows[i]);
                Peaks[i] = Math.Max(Peaks[i], peaks[i]);
            }
        }
    }
}
