using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>Notification settings the server cannot use are refused at start, each naming the setting and its value.</summary>
public sealed class AlertNotifyOptionsValidatorTests
{
    private static readonly AlertNotifyOptionsValidator Validator = new();

    [Fact]
    public void Validate_TheDefaults_Accepted() => Assert.True(Validator.Validate(null, new AlertNotifyOptions()).Succeeded);

    [Fact]
    public void Validate_WebhooksAndAlertmanager_Accepted()
    {
        var options = new AlertNotifyOptions
        {
            ExternalUrl = "https://tracefleet.example.com",
            Alertmanager = new AlertmanagerOptions { Url = "http://alertmanager:9093", ResendInterval = TimeSpan.FromSeconds(30) },
            Webhooks = [new() { Name = "pager", Url = "https://hooks.example.com/a", Secret = "s" }, new() { Name = "chat.ops", Url = "http://10.0.0.1:8080/hook" }],
        };

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EveryKindOfMistake_EachRefusedNamingTheSettingAndValue()
    {
        var options = new AlertNotifyOptions
        {
            QueueCapacity = 0,
            ExternalUrl = "tracefleet.example.com",
            Alertmanager = new AlertmanagerOptions { Url = "ftp://alertmanager", ResendInterval = TimeSpan.Zero },
            Webhooks =
            [
                new() { Name = "pager", Url = "https://hooks.example.com/a" },
                new() { Name = "PAGER", Url = "https://hooks.example.com/b" },
                new() { Name = "", Url = "" },
                new() { Name = "alertmanager", Url = "https://hooks.example.com/c" },
                new() { Name = "two words", Url = "/relative" },
            ],
        };

        var result = Validator.Validate(null, options);

        Assert.Equal(
        [
            "Alerts:QueueCapacity (0) must be from 1 to 1000000",
            "Alerts:ExternalUrl (\"tracefleet.example.com\") must be an absolute URL starting with http:// or https://",
            "Alerts:Alertmanager:Url (\"ftp://alertmanager\") must be an absolute URL starting with http:// or https://",
            "Alerts:Alertmanager:ResendInterval (00:00:00) must be from 00:00:01 to 01:00:00",
            "Alerts:Webhooks:1:Name (\"PAGER\") is taken: each webhook needs a name of its own, and \"alertmanager\" names Alerts:Alertmanager",
            "Alerts:Webhooks:2:Name (\"\") must be 1 to 64 letters, digits, '-', '_' or '.'",
            "Alerts:Webhooks:2:Url is required: the http or https URL notices are posted to",
            "Alerts:Webhooks:3:Name (\"alertmanager\") is taken: each webhook needs a name of its own, and \"alertmanager\" names Alerts:Alertmanager",
            "Alerts:Webhooks:4:Name (\"two words\") must be 1 to 64 letters, digits, '-', '_' or '.'",
            "Alerts:Webhooks:4:Url (\"/relative\") must be an absolute URL starting with http:// or https://",
        ], result.Failures);
    }
}
