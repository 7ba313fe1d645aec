using Tracefleet.Contract;
using Tracefleet.Web.Components;

namespace Tracefleet.Web.Services;

/// <summary>
/// The fleet's totals of one probe over a range, as a chart of one line per value column in counts per second: first the
/// server's buckets (<c>/api/fleet/series</c>), then, while the range ends now, each second of the live feed summed over
/// the hosts into the bucket it falls in. Bounded: buckets that fall out of the range go, and at most <see cref="MaxBuckets"/>
/// are held whatever the feed's rate.
/// </summary>
public sealed class FleetTotals
{
    /// <summary>The most buckets held: the server answers about 120 for a range; live seconds add one every step.</summary>
    public const int MaxBuckets = 1000;

    private readonly SortedDictionary<long, ulong[]> _sums = [];
    private readonly DateTime _origin;
    private readonly long _stepMs;
    private readonly TimeSpan _span;
    private DateTime _latest;
    private IReadOnlyList<ChartLine>? _lines;

    /// <summary>The totals of <paramref name="series"/>, kept for <paramref name="span"/> back from the newest second seen.</summary>
    public FleetTotals(ProbeDefinition probe, FleetSeriesResponse series, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(series);
        (Probe, _origin, _stepMs, _span, _latest) = (probe, series.From, Math.Max(1, series.StepMs), span, series.To);
        foreach (var point in series.Points)
        {
            Add(Bucket(point.T), probe.Columns.Select(c => point.ValueOf(c) ?? 0).ToArray());
        }

        Trim();
    }

    public ProbeDefinition Probe { get; }

    /// <summary>Buckets held now.</summary>
    public int Count => _sums.Count;

    /// <summary>Adds the hosts' totals of one live second (the interval ending at <see cref="FleetSecond.At"/>) to its bucket.</summary>
    public void Add(FleetSecond second)
    {
        ArgumentNullException.ThrowIfNull(second);
        var start = second.At.AddMilliseconds(-second.IntervalMs);
        if (start < _origin)
        {
            return;
        }

        var values = new ulong[Probe.ValueCount];
        foreach (var host in second.Hosts)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Counts.Add(values[i], host.TotalOf(Probe.Columns[i]));
            }
        }

        Add(Bucket(start), values);
        _latest = second.At > _latest ? second.At : _latest;
        Trim();
        _lines = null;
    }

    /// <summary>
    /// One line per value column (<c>allocs/s</c>, <c>frees/s</c>), a point per bucket at its start: its sum divided by its
    /// seconds, or for the newest bucket by the seconds of it that have passed, so a bucket still filling is not drawn low.
    /// Made once per change, not per render of the page.
    /// </summary>
    public IReadOnlyList<ChartLine> Lines() => _lines ??=
        [.. Probe.Columns.Select((column, i) => new ChartLine($"{column.Name}/s", [.. _sums.Select(b => new ChartPoint(Start(b.Key), b.Value[i] / Seconds(b.Key)))]))];

    private long Bucket(DateTime at) => (long)Math.Floor((at - _origin).TotalMilliseconds / _stepMs);

    private DateTime Start(long bucket) => _origin.AddMilliseconds(bucket * _stepMs);

    private double Seconds(long bucket) => Math.Clamp((_latest - Start(bucket)).TotalSeconds, 1, Math.Max(1, _stepMs / 1000.0));

    private void Add(long bucket, ulong[] values)
    {
        if (!_sums.TryGetValue(bucket, out var sums))
        {
            _sums[bucket] = values;
            return;
        }

        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = Counts.Add(sums[i], values[i]);
        }
    }

    private void Trim()
    {
        var oldest = Bucket(_latest - _span);
        while (_sums.Count > 0 && (_sums.Keys.First() < oldest || _sums.Count > MaxBuckets))
        {
            _sums.Remove(_sums.Keys.First());
        }
    }
}
