namespace Tracefleet.Web.Tests.Services;

/// <summary>How the UI writes counts: every digit, and a saturated one marked as "at least".</summary>
public sealed class CountTextTests
{
    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(9_223_372_036_854_775_808UL, "9223372036854775808")]
    [InlineData(18_446_744_073_709_551_614UL, "18446744073709551614")]
    [InlineData(18_446_744_073_709_551_615UL, "≥ 18446744073709551615 (saturated)")]
    public void Format_Count_EveryDigitSaturatedMarked(ulong value, string expected) => Assert.Equal(expected, CountText.Format(value));

    [Theory]
    [InlineData(1_234UL, "1,234/s")]
    [InlineData(10_000_000_000_000_000_000UL, "10,000,000,000,000,000,000/s")]
    [InlineData(18_446_744_073_709_551_615UL, "≥ 18,446,744,073,709,551,615/s (saturated)")]
    public void PerSecond_Count_GroupedSaturatedMarked(ulong value, string expected) => Assert.Equal(expected, CountText.PerSecond(value));

    [Fact]
    public void ClassAndTitle_OnlySaturatedCountsStandOut()
    {
        Assert.Equal(("saturated", CountText.SaturatedTitle), (CountText.Class(ulong.MaxValue), CountText.Title(ulong.MaxValue)));
        Assert.Equal((null, null), (CountText.Class(ulong.MaxValue - 1), CountText.Title(ulong.MaxValue - 1)));
    }

    [Fact]
    public void DifferenceAndNet_Unknown_SaidSo()
    {
        Assert.Equal("unknown (saturated)", CountText.Difference(null));
        Assert.Equal("unknown (saturated)", CountText.Net(null));
        Assert.Equal("−18446744073709551614", CountText.Difference(-(Int128)18_446_744_073_709_551_614UL));
        Assert.Equal("+18446744073709551614", CountText.Difference(18_446_744_073_709_551_614UL));
        Assert.Equal("-10000000000000000000", CountText.Net(-(Int128)10_000_000_000_000_000_000UL));
    }
}
