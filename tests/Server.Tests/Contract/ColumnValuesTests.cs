using Tracefleet.Contract.Api;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Server.Tests.Contract;

/// <summary>
/// Every probe's values must reach the API's and the hub's records named by column and come back in column order, and the
/// UI's derived views must find each column and each probe's busiest key.
/// </summary>
public sealed class ColumnValuesTests
{
    public static TheoryData<string> Probes { get; } = [.. ProbeCatalogue.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Probes))]
    public void ValuesOf_RecordsBuiltFromAProbesValues_SameValuesInColumnOrder(string name)
    {
        var probe = ProbeCatalogue.Find(name)!;
        ulong[] values = [.. Enumerable.Range(0, probe.ValueCount).Select(i => 10UL + (ulong)i)];

        Assert.Equal(values, TopRow.Of(probe, "k", values).ValuesOf(probe));
        Assert.Equal(values, FleetTopRow.Of(probe, "k", values, 2).ValuesOf(probe));
        Assert.Equal(values, LiveRow.Of(probe, "k", values).ValuesOf(probe));
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void ValueOf_EachColumn_ItsOwnValueAndNoneForOtherProbesColumns(string name)
    {
        var probe = ProbeCatalogue.Find(name)!;
        ulong[] values = [.. Enumerable.Range(0, probe.ValueCount).Select(i => 10UL + (ulong)i)];
        var point = SeriesPoint.Of(probe, DateTime.UnixEpoch, values);
        var compared = CompareRow.Of(probe, "k", [values, null]);

        foreach (var column in ProbeCatalogue.AllColumns)
        {
            var position = probe.ColumnIndex(column.Name);
            ulong? expected = position >= 0 ? values[position] : null;
            Assert.Equal(expected, point.ValueOf(column));
            Assert.Equal(expected, compared.ValueOf(column, 0));
            Assert.Null(compared.ValueOf(column, 1));
        }
    }

    [Theory]
    [MemberData(nameof(Probes))]
    public void TopKeyOf_FleetRecordsBuiltPerProbe_EachProbeItsOwnKey(string name)
    {
        var probe = ProbeCatalogue.Find(name)!;
        var summary = FleetSummaryHost.Of("h", "linux", "bpftrace", true, true, DateTime.UnixEpoch, [], _ => [], p => p.Name + "-top", p => p.Name + "-named");
        var live = FleetHost.Of("h", true, true, null, _ => 0, p => p.Name + "-top", p => p.Name + "-named");

        Assert.Equal((probe.Name + "-top", probe.Name + "-named"), (summary.TopKeyOf(probe), summary.TopNamedKeyOf(probe)));
        Assert.Equal((probe.Name + "-top", probe.Name + "-named"), (live.TopKeyOf(probe), live.TopNamedKeyOf(probe)));
    }

    [Fact]
    public void PerSecondOfAndTotalOf_EachColumn_ItsOwnSeries()
    {
        var summary = FleetSummaryHost.Of("h", "linux", "bpftrace", true, true, DateTime.UnixEpoch, [], c => [Ordinal(c) + 1], _ => null, _ => null);
        var live = FleetHost.Of("h", true, true, null, c => Ordinal(c) + 1, _ => null, _ => null);

        foreach (var column in ProbeCatalogue.AllColumns)
        {
            var expected = Ordinal(column) + 1;
            Assert.Equal([expected], summary.PerSecondOf(column));
            Assert.Equal(expected, live.TotalOf(column));
        }
    }

    [Fact]
    public void Named_NameGivenTwice_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => new Named<ulong>([KeyValuePair.Create("faults", 1UL), KeyValuePair.Create("faults", 2UL)]));

    [Fact]
    public void Equals_RecordsOfEqualValuesAndLists_Equal()
    {
        var probe = ProbeCatalogue.Kmem;

        Assert.Equal(TopRow.Of(probe, "k", [1, 2]), TopRow.Of(probe, "k", [1, 2]));
        Assert.NotEqual(TopRow.Of(probe, "k", [1, 2]), TopRow.Of(probe, "k", [1, 3]));
        Assert.Equal(CompareRow.Of(probe, "k", [[1, 2], null]), CompareRow.Of(probe, "k", [[1, 2], null]));
        Assert.NotEqual(CompareRow.Of(probe, "k", [[1, 2], null]), CompareRow.Of(probe, "k", [null, [1, 2]]));
    }

    /// <summary>A value of its own for each column: its position among every known column.</summary>
    private static ulong Ordinal(ValueColumn column) => (ulong)ProbeCatalogue.AllColumns.TakeWhile(c => c != column).Count();
}
