using System.Text.Json;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>
/// The webhook body, read back as JSON the way a receiver written for Alertmanager reads it: version 4's field names,
/// Alertmanager's time format and its zero <c>endsAt</c> while firing.
/// </summary>
public sealed class WebhookPayloadTests
{
    [Fact]
    public void ToUtf8Json_Firing_EveryFieldOfVersionFourNamedAndFilled()
    {
        var notice = Notices.Firing();

        using var json = JsonDocument.Parse(WebhookPayload.From(notice, "pager", "https://tracefleet.example.com/").ToUtf8Json());

        var root = json.RootElement;
        Assert.Equal(
            ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal(
            """{}:{alertname="FaultStorm", host="web-01", key="/usr/lib/libc.so.6", probe="pagefaults", severity="critical", team="storage"}""",
            root.GetProperty("groupKey").GetString());
        Assert.Equal(0, root.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("pager", root.GetProperty("receiver").GetString());
        Assert.Equal(notice.Labels, Strings(root.GetProperty("groupLabels")));
        Assert.Equal(notice.Labels, Strings(root.GetProperty("commonLabels")));
        Assert.Equal(notice.Annotations, Strings(root.GetProperty("commonAnnotations")));
        Assert.Equal("https://tracefleet.example.com", root.GetProperty("externalURL").GetString());

        var alert = Assert.Single(root.GetProperty("alerts").EnumerateArray());
        Assert.Equal(["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal(notice.Labels, Strings(alert.GetProperty("labels")));
        Assert.Equal(notice.Annotations, Strings(alert.GetProperty("annotations")));
        Assert.Equal("2026-11-26T06:00:01.25Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal("https://tracefleet.example.com/host/web-01?probe=pagefaults", alert.GetProperty("generatorURL").GetString());
        Assert.Equal("a1b2c3", alert.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void ToUtf8Json_Resolved_StatusResolvedAndItsOwnEndsAt()
    {
        var notice = Notices.Resolved(Notices.Firing(), new DateTimeOffset(2026, 11, 26, 7, 30, 0, TimeSpan.FromHours(1)));

        using var json = JsonDocument.Parse(WebhookPayload.From(notice, "pager", null).ToUtf8Json());

        Assert.Equal("resolved", json.RootElement.GetProperty("status").GetString());
        var alert = Assert.Single(json.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("2026-11-26T06:30:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal("", alert.GetProperty("generatorURL").GetString());
        Assert.Equal("", json.RootElement.GetProperty("externalURL").GetString());
    }

    [Fact]
    public void ToUtf8Json_LabelValueWithQuotesAndBackslashes_GroupKeyEscapesThemAndLabelsKeepThem()
    {
        var notice = Notices.Firing(key: """C:\temp\"odd".dll""");

        using var json = JsonDocument.Parse(WebhookPayload.From(notice, "pager", null).ToUtf8Json());

        Assert.Contains(@"key=""C:\\temp\\\""odd\"".dll""", json.RootElement.GetProperty("groupKey").GetString(), StringComparison.Ordinal);
        Assert.Equal("""C:\temp\"odd".dll""", json.RootElement.GetProperty("commonLabels").GetProperty("key").GetString());
    }

    private static Dictionary<string, string> Strings(JsonElement map) => map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
