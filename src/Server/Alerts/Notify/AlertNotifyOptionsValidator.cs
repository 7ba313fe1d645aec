using System.Globalization;
using Microsoft.Extensions.Options;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// Checked at start: every URL is absolute http or https; each webhook has a name of its own (it labels the delivery log
/// and <c>/metrics</c>, and <see cref="AlertmanagerReceiver.Name"/> is taken); the resend interval and the queue are in range.
/// </summary>
public sealed class AlertNotifyOptionsValidator : IValidateOptions<AlertNotifyOptions>
{
    /// <summary>Longest webhook name: it is a Prometheus label value and a column of the delivery log.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Every rule <paramref name="options"/> breaks, each naming the setting and its value; success when none.</summary>
    public ValidateOptionsResult Validate(string? name, AlertNotifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"Alerts:QueueCapacity ({options.QueueCapacity}) must be from 1 to 1000000");
        }

        CheckUrl(failures, "Alerts:ExternalUrl", options.ExternalUrl, required: false);
        CheckUrl(failures, "Alerts:Alertmanager:Url", options.Alertmanager.Url, required: false);
        var resend = options.Alertmanager.ResendInterval;
        if (resend < TimeSpan.FromSeconds(1) || resend > TimeSpan.FromHours(1))
        {
            failures.Add($"Alerts:Alertmanager:ResendInterval ({resend.ToString("c", CultureInfo.InvariantCulture)}) must be from 00:00:01 to 01:00:00");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { AlertmanagerReceiver.Name };
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var webhook = options.Webhooks[i];
            var setting = $"Alerts:Webhooks:{i}";
            if (!IsName(webhook.Name))
            {
                failures.Add($"{setting}:Name (\"{webhook.Name}\") must be 1 to {MaxNameLength} letters, digits, '-', '_' or '.'");
            }
            else if (!names.Add(webhook.Name))
            {
                failures.Add($"{setting}:Name (\"{webhook.Name}\") is taken: each webhook needs a name of its own, and \"{AlertmanagerReceiver.Name}\" names Alerts:Alertmanager");
            }

            CheckUrl(failures, $"{setting}:Url", webhook.Url, required: true);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void CheckUrl(List<string> failures, string setting, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                failures.Add($"{setting} is required: the http or https URL notices are posted to");
            }

            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            failures.Add($"{setting} (\"{value}\") must be an absolute URL starting with http:// or https://");
        }
    }
}
