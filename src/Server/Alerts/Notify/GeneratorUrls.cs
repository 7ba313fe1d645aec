namespace Tracefleet.Server.Alerts.Notify;

/// <summary>Where an alert links back to: its host's page, probe chosen, under <c>Alerts:ExternalUrl</c>.</summary>
public static class GeneratorUrls
{
    /// <summary><c>{externalUrl}/host/{host}?probe={probe}</c>; null without an external URL or a <c>host</c> label.</summary>
    public static string? For(string? externalUrl, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (string.IsNullOrWhiteSpace(externalUrl) || !labels.TryGetValue("host", out var host))
        {
            return null;
        }

        var url = $"{externalUrl.TrimEnd('/')}/host/{Uri.EscapeDataString(host)}";
        return labels.TryGetValue("probe", out var probe) ? $"{url}?probe={Uri.EscapeDataString(probe)}" : url;
    }
}
