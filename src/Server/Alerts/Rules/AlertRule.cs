using System.Text.Json.Serialization;

namespace Tracefleet.Server.Alerts.Rules;

/// <summary>
/// An alert rule as people write it: the body of <c>POST /api/rules</c> (camelCase) and an entry of the rules file
/// (<c>Alerts:RulesFile</c>, snake_case). Every field is text until <see cref="RuleCompiler"/> reads it, so that a
/// threshold that is not a number, or a duration that is not one, is refused with the field's name instead of failing
/// to bind. Shape and meaning: README, "Alerts".
/// </summary>
public class AlertRule
{
    /// <summary>Unique; the alert's <c>alertname</c> label.</summary>
    public string? Name { get; set; }

    /// <summary>A probe the server knows (<c>GET /api/probes</c>).</summary>
    public string? Probe { get; set; }

    /// <summary>A value column of the probe, or the probe's net column (kmem: <c>net</c> = allocs − frees).</summary>
    public string? Column { get; set; }

    /// <summary>Glob on the key; null: every key on its own.</summary>
    public string? Key { get; set; }

    /// <summary>Glob on the host name; null: every host.</summary>
    public string? Hosts { get; set; }

    /// <summary>Fires when the column's rate, per second averaged over <see cref="Window"/>, is above this.</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? Above { get; set; }

    /// <summary>Fires when the rate is below this (instead of <see cref="Above"/>).</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? Below { get; set; }

    /// <summary>What the rate is averaged over (<see cref="RuleDuration"/>); default 10s.</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? Window { get; set; }

    /// <summary>How long the condition holds (pending) before the alert fires; default 0s.</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? For { get; set; }

    /// <summary>Hysteresis: a firing alert resolves only once the rate is past this (below it for <c>above</c>, above it for <c>below</c>).</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? Clear { get; set; }

    /// <summary>How long an alert keeps firing after its condition cleared; default 0s.</summary>
    [JsonConverter(typeof(ScalarTextConverter))]
    public string? KeepFiringFor { get; set; }

    /// <summary><c>ignore</c> (default), <c>alert</c> or <c>keep</c>: what happens when the host stops sending this probe.</summary>
    public string? NoData { get; set; }

    /// <summary>The alert's <c>severity</c> label; default <c>warning</c>.</summary>
    public string? Severity { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Alertmanager annotations; <c>{{host}}</c>, <c>{{key}}</c>, <c>{{value}}</c>, <c>{{rule}}</c> and <c>{{threshold}}</c> are filled in.</summary>
    public Dictionary<string, string>? Annotations { get; set; }
}
