using Microsoft.Extensions.Options;
using Tracefleet.Server.History;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.History;

/// <summary>Retentions that contradict each other are refused at start, naming the rule, the settings and their values.</summary>
public sealed class HistoryOptionsValidatorTests
{
    private static readonly HistoryOptionsValidator Validator = new(Options.Create(new LimitsOptions { MaxSnapshotAgeSeconds = 7200, MaxClockSkewSeconds = 300 }));

    private static HistoryOptions Retentions(string raw, string minute, string hour) => new()
    {
        RawRetention = TimeSpan.Parse(raw, System.Globalization.CultureInfo.InvariantCulture),
        MinuteRetention = TimeSpan.Parse(minute, System.Globalization.CultureInfo.InvariantCulture),
        HourRetention = TimeSpan.Parse(hour, System.Globalization.CultureInfo.InvariantCulture),
    };

    [Theory]
    [InlineData("1.00:00:00", "30.00:00:00", "365.00:00:00")]
    [InlineData("1.00:00:00", "1.00:00:00", "1.00:00:00")]
    [InlineData("00:10:00", "02:05:00", "02:05:00")]
    public void Validate_EachTierAtLeastTheFinerOne_Accepted(string raw, string minute, string hour) =>
        Assert.True(Validator.Validate(null, Retentions(raw, minute, hour)).Succeeded);

    [Fact]
    public void Validate_TheDefaults_Accepted() =>
        Assert.True(new HistoryOptionsValidator(Options.Create(new LimitsOptions())).Validate(null, new HistoryOptions()).Succeeded);

    [Fact]
    public void Validate_MinuteRetentionShorterThanRaw_RefusedNamingBothWithTheirValues()
    {
        var result = Validator.Validate(null, Retentions("1.00:00:00", "01:00:00", "365.00:00:00"));

        Assert.True(result.Failed);
        Assert.Equal(["History:MinuteRetention (01:00:00) must be at least History:RawRetention (1.00:00:00)"], result.Failures);
    }

    [Fact]
    public void Validate_HourRetentionShorterThanMinute_RefusedNamingBothWithTheirValues()
    {
        var result = Validator.Validate(null, Retentions("1.00:00:00", "30.00:00:00", "7.00:00:00"));

        Assert.Equal(["History:HourRetention (7.00:00:00) must be at least History:MinuteRetention (30.00:00:00)"], result.Failures);
    }

    [Fact]
    public void Validate_MinuteRetentionShorterThanIngestKeepsRawSnapshots_RefusedNamingTheLimits()
    {
        // Raw seconds stay for the resend window (2 h + 5 min here) even with a shorter RawRetention.
        var result = Validator.Validate(null, Retentions("01:00:00", "02:00:00", "365.00:00:00"));

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("History:MinuteRetention (02:00:00) must be at least as long as raw snapshots are kept", failure, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxSnapshotAgeSeconds + Limits:MaxClockSkewSeconds (02:05:00)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00", "30.00:00:00", "365.00:00:00", "History:RawRetention (00:00:00) must be positive")]
    [InlineData("-1.00:00:00", "30.00:00:00", "365.00:00:00", "History:RawRetention (-1.00:00:00) must be positive")]
    [InlineData("1.00:00:00", "30.00:00:00", "-00:00:01", "History:HourRetention (-00:00:01) must be positive")]
    public void Validate_RetentionZeroOrNegative_RefusedAsNotPositive(string raw, string minute, string hour, string expected)
    {
        var result = Validator.Validate(null, Retentions(raw, minute, hour));

        Assert.Contains(expected, result.Failures!);
    }
}
