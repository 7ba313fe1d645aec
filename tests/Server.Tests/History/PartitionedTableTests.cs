using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Partitions;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.Tests.History;

/// <summary>The partition layout's arithmetic, which dropping a whole partition relies on (no database).</summary>
public sealed class PartitionedTableTests
{
    [Fact]
    public void All_EachWidth_AWholeNumberOfItsRowsSpans()
    {
        // A partition that ends by a cutoff then holds only blocks and buckets that ended by it too.
        foreach (var table in PartitionedTable.All)
        {
            var span = table.Parent switch
            {
                "snapshots" => 1,
                "rawblocks" => RawPacking.BlockMs,
                "rollups_minute" => Tier.Minute.BucketMs(),
                "rollups_hour" => Tier.Hour.BucketMs(),
                _ => Tier.Day.BucketMs(),
            };
            Assert.Equal(0, table.WidthMs % span);
            Assert.Equal(0, table.WidthMs % Tiers.DayMs);
        }
    }

    [Theory]
    [InlineData(0L, 0L, "snapshots_19700101")]
    [InlineData(1_796_083_200_000L + 86_399_999L, 1_796_083_200_000L, "snapshots_20261201")]
    [InlineData(-1L, -86_400_000L, "snapshots_19691231")]
    public void Start_AnyTime_TheDayItFallsInAndItsName(long unixMs, long start, string name)
    {
        var snapshots = PartitionedTable.All.Single(t => t.Parent == "snapshots");

        Assert.Equal(start, snapshots.Start(unixMs));
        Assert.Equal(name, snapshots.Name(snapshots.Start(unixMs)));
    }
}
