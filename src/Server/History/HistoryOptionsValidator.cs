using System.Globalization;
using Microsoft.Extensions.Options;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.History;

/// <summary>
/// The rules between the History retentions, checked at start: each is positive, and each tier is kept at least as long
/// as the finer one before it. A query reads the coarsest tier that answers a range, so minute buckets deleted while raw
/// seconds of the same time remain would answer nothing for data still stored. Raw seconds are kept at least as long as
/// ingest accepts a snapshot (Limits:MaxSnapshotAgeSeconds + Limits:MaxClockSkewSeconds), so minutes must outlast that too.
/// </summary>
public sealed class HistoryOptionsValidator(IOptions<LimitsOptions> limits) : IValidateOptions<HistoryOptions>
{
    /// <summary>Every rule <paramref name="options"/> breaks, each naming the settings and their values; success when none.</summary>
    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (setting, value) in new[]
        {
            (nameof(HistoryOptions.RawRetention), options.RawRetention),
            (nameof(HistoryOptions.MinuteRetention), options.MinuteRetention),
            (nameof(HistoryOptions.HourRetention), options.HourRetention),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"History:{setting} ({Show(value)}) must be positive");
            }
        }

        var resendWindow = TimeSpan.FromSeconds(limits.Value.MaxSnapshotAgeSeconds + (long)limits.Value.MaxClockSkewSeconds);
        if (options.MinuteRetention < options.RawRetention)
        {
            failures.Add($"History:MinuteRetention ({Show(options.MinuteRetention)}) must be at least History:RawRetention ({Show(options.RawRetention)})");
        }
        else if (options.MinuteRetention < resendWindow)
        {
            failures.Add(
                $"History:MinuteRetention ({Show(options.MinuteRetention)}) must be at least as long as raw snapshots are kept: ingest accepts them "
                + $"for Limits:MaxSnapshotAgeSeconds + Limits:MaxClockSkewSeconds ({Show(resendWindow)}), and they stay that long");
        }

        if (options.HourRetention < options.MinuteRetention)
        {
            failures.Add($"History:HourRetention ({Show(options.HourRetention)}) must be at least History:MinuteRetention ({Show(options.MinuteRetention)})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>As the setting is written: <c>d.hh:mm:ss</c>.</summary>
    private static string Show(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
