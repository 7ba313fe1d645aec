using System.ComponentModel.DataAnnotations;

namespace Tracefleet.Server.Alerts;

/// <summary>Section <c>Alerts</c>: where rules come from and how far evaluation reaches (README, "Alerts").</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>A YAML file of rules (<c>rules:</c> list) loaded at start, beside those made through the API; empty: none.</summary>
    public string RulesFile { get; set; } = "";

    /// <summary>(rule, host, key) series tracked at once; keys beyond it are not evaluated and are counted.</summary>
    [Range(1, 10_000_000)]
    public int MaxSeries { get; set; } = 100_000;

    /// <summary>A host that sends nothing this long raises one host-silent alert; 0 turns that off.</summary>
    [Range(0, 86_400)]
    public int HostSilentAfterSeconds { get; set; } = 60;

    /// <summary>A rule's probe silent this long (or the rule's window, if longer) on a host that still sends others: the rule's <c>no_data</c> applies.</summary>
    [Range(1, 86_400)]
    public int NoDataAfterSeconds { get; set; } = 60;

    /// <summary>A snapshot whose interval ended longer ago than this is a backlog: it is evaluated, but fires no notice until data catches up.</summary>
    [Range(1, 86_400)]
    public int LateAfterSeconds { get; set; } = 30;

    /// <summary>Days of alert history (transitions) kept.</summary>
    [Range(1, 3650)]
    public int HistoryDays { get; set; } = 90;

    /// <summary>Transitions and state changes waiting to be stored; past it they are dropped and counted.</summary>
    [Range(100, 1_000_000)]
    public int RecordQueueCapacity { get; set; } = 10_000;
}
