using Tracefleet.Server.Metrics;

namespace Tracefleet.Server.Tests.Metrics;

/// <summary>What /metrics exports per host and probe: the keys busiest over the window, with their totals.</summary>
public sealed class ProbeTallyTests
{
    private const long T0 = 1_795_672_800;

    [Fact]
    public void Top_BusiestOverTheWindow_WithTotalsSinceFirstSeen()
    {
        var tally = new ProbeTally(60);
        Add(tally, T0, ("old", 1000, 1));
        for (var s = 1; s <= 80; s++)
        {
            Add(tally, T0 + s, ("steady", 2, 1), ("burst", s > 70 ? 50UL : 0, 0));
        }

        // "old" has been quiet for over a window; "burst" is busiest now; totals count every second seen.
        var top = tally.Top(T0 + 80, 5).ToList();
        Assert.Equal(["burst", "steady"], top.Select(t => t.Key));
        Assert.Equal([500UL, 0], top[0].Totals);
        Assert.Equal([160UL, 80], top[1].Totals);
    }

    [Fact]
    public void Add_KeysCyclingThroughNames_QuietOnesForgottenAndStartAgainFromZero()
    {
        var tally = new ProbeTally(60);
        for (var s = 0; s < 600; s++)
        {
            Add(tally, T0 + s, ($"/tmp/file-{s}", 1, 0), ("libc.so.6", 1, 0));
        }

        var top = tally.Top(T0 + 599, 1000).ToList();
        // Only the names of about the last window are still tracked, however many came and went.
        Assert.InRange(top.Count, 60, 72);
        Assert.Equal([600UL, 0], top.Single(t => t.Key == "libc.so.6").Totals);
        Add(tally, T0 + 600, ("/tmp/file-0", 7, 0));
        Assert.Equal([7UL, 0], tally.Top(T0 + 600, 1000).Single(t => t.Key == "/tmp/file-0").Totals);
    }

    [Fact]
    public void Add_TotalsPast64Bits_SaturatedNeverWrapped()
    {
        var tally = new ProbeTally(60);
        Add(tally, T0, ("x", 5_000_000_000_000_000_000, 1), ("y", 1, 0));
        Add(tally, T0 + 1, ("x", 5_000_000_000_000_000_000, 0), ("y", 2, 0));
        Assert.Equal([10_000_000_000_000_000_000UL, 1], tally.Top(T0 + 1, 1).Single().Totals);

        Add(tally, T0 + 2, ("x", 9_000_000_000_000_000_000, ulong.MaxValue));
        Add(tally, T0 + 3, ("x", 1, 1), ("y", 3, 0));

        // x's window sum saturated too, so it still ranks first; y keeps its exact total.
        var top = tally.Top(T0 + 3, 2).ToList();
        Assert.Equal(["x", "y"], top.Select(t => t.Key));
        Assert.Equal([ulong.MaxValue, ulong.MaxValue], top[0].Totals);
        Assert.Equal([6UL, 0], top[1].Totals);
    }

    /// <summary>Adds a snapshot's table of two-value rows, in the columnar form the server keeps.</summary>
    private static void Add(ProbeTally tally, long second, params (string Key, ulong First, ulong Second)[] rows) =>
        tally.Add(second, [.. rows.Select(r => r.Key)], [.. rows.SelectMany(r => new[] { r.First, r.Second })]);
}
