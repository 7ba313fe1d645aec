using Tracefleet.Contract;

namespace Tracefleet.Server.Tests.History;

/// <summary>The one saturating sum every count goes through: exact while it fits 64 bits, then 2^64 − 1, never wrapped.</summary>
public sealed class CountsTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(2UL, 3UL, 5UL)]
    [InlineData(9_223_372_036_854_775_807UL, 1UL, 9_223_372_036_854_775_808UL)]
    [InlineData(5_000_000_000_000_000_000UL, 5_000_000_000_000_000_000UL, 10_000_000_000_000_000_000UL)]
    [InlineData(18_446_744_073_709_551_614UL, 1UL, 18_446_744_073_709_551_615UL)]
    [InlineData(0UL, 18_446_744_073_709_551_615UL, 18_446_744_073_709_551_615UL)]
    public void Add_SumFits64Bits_Exact(ulong a, ulong b, ulong expected)
    {
        Assert.Equal(expected, Counts.Add(a, b));
        Assert.Equal(expected, Counts.Add(b, a));
    }

    [Theory]
    [InlineData(10_000_000_000_000_000_000UL, 9_000_000_000_000_000_000UL)]
    [InlineData(18_446_744_073_709_551_615UL, 1UL)]
    [InlineData(18_446_744_073_709_551_615UL, 18_446_744_073_709_551_615UL)]
    [InlineData(9_223_372_036_854_775_808UL, 9_223_372_036_854_775_808UL)]
    public void Add_SumPast64Bits_SaturatedNotWrapped(ulong a, ulong b)
    {
        Assert.Equal(18_446_744_073_709_551_615UL, Counts.Add(a, b));
        Assert.Equal(18_446_744_073_709_551_615UL, Counts.Add(b, a));
    }

    [Fact]
    public void Add_InAnyOrder_MinimumOfExactSumAndSaturated()
    {
        ulong[] values = [5_000_000_000_000_000_000, 5_000_000_000_000_000_000, 9_000_000_000_000_000_000, 3, 0];
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var order = values.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(Counts.Saturated, order.Aggregate(0UL, Counts.Add));
            Assert.Equal(10_000_000_000_000_000_003UL, order.Where(v => v != 9_000_000_000_000_000_000).Aggregate(0UL, Counts.Add));
        }
    }

    [Theory]
    [InlineData(18_446_744_073_709_551_615UL, true)]
    [InlineData(18_446_744_073_709_551_614UL, false)]
    [InlineData(0UL, false)]
    public void IsSaturated_OnlyTheTopValue(ulong value, bool expected) => Assert.Equal(expected, Counts.IsSaturated(value));
}
