namespace Tracefleet.Agent.Tests.Parsing;

public class RowValuesTests
{
    [Fact]
    public void MaxCount_EveryCatalogueProbe_FitsItsColumns()
    {
        Assert.All(ProbeCatalogue.All, probe => Assert.InRange(probe.ValueCount, 1, RowValues.MaxCount));
    }

    [Fact]
    public void Create_FewerValuesThanPlaces_RestZero()
    {
        RowValues values = [7];

        Assert.Equal(7UL, values[0]);
        Assert.Equal(0UL, values[1]);
    }

    [Fact]
    public void Create_MoreValuesThanPlaces_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RowValues.Create(new ulong[RowValues.MaxCount + 1]));
    }

    [Fact]
    public void OnlyAt_SecondColumn_FirstZero()
    {
        Assert.Equal([0, 9], RowValues.OnlyAt(1, 9));
    }

    [Fact]
    public void SaturatingAdd_NearMax_EachColumnStopsAtMax()
    {
        RowValues sum = [ulong.MaxValue - 1, 3];

        Assert.Equal([ulong.MaxValue, 7], sum.SaturatingAdd([5, 4]));
    }
}
