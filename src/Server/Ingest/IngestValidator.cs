using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>Checks what an agent sends; each refusal says what is wrong, for the agent's log.</summary>
public static class IngestValidator
{
    public const int MaxHostNameLength = HostNameRule.MaxLength;

    /// <summary>Characters kept of a name an agent reports: os, kernel, agent version, backend, a probe's variant.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Characters kept of a description an agent reports: a probe's limitations, the last rejection's reason.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>Characters kept of a tracer's last error text.</summary>
    public const int MaxErrorLength = 4096;

    public static string? CheckHello(Hello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (HostNameRule.Normalize(hello.Host, out var problem) is null)
        {
            return problem;
        }

        // A probe the server does not know is no refusal of the Hello: the agent may bring its descriptor (LearntProbes),
        // and otherwise only that probe's snapshots are refused; the host's other probes go on.
        var probes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var probe in hello.Probes)
        {
            if (!probes.Add(probe.Name))
            {
                return $"probe \"{SnapshotRules.Printable(probe.Name)}\" is listed twice";
            }
        }

        return hello.Epoch == 0 ? "epoch must be non-zero" : null;
    }

    /// <summary>
    /// Puts a Hello that passed <see cref="CheckHello"/> in the form the server keeps: the host name normalised
    /// (<see cref="HostNameRule"/>), and every text cut to its limit with a visible "[…]" and its control characters escaped
    /// (<see cref="KeyRule"/>), so it can be stored, served and logged.
    /// </summary>
    public static void Normalize(Hello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        hello.Host = HostNameRule.Normalize(hello.Host, out _) ?? throw new ArgumentException("the Hello was not checked", nameof(hello));
        hello.Os = Bounded(hello.Os, MaxNameLength);
        hello.Kernel = Bounded(hello.Kernel, MaxNameLength);
        hello.AgentVersion = Bounded(hello.AgentVersion, MaxNameLength);
        hello.Backend = Bounded(hello.Backend, MaxNameLength);
        foreach (var probe in hello.Probes)
        {
            probe.Variant = Bounded(probe.Variant, MaxNameLength);
            probe.Limitations = Bounded(probe.Limitations, MaxDescriptionLength);
        }
    }

    /// <summary>
    /// Null when a probe status can be kept and shown: a known state, a finite, non-negative rate, a time the API can print,
    /// counts the API's signed numbers hold. Otherwise why not; the status is dropped, the stream goes on.
    /// </summary>
    public static string? CheckStatus(ProbeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!ProbeStates.WireNames.Contains(status.State, StringComparer.Ordinal))
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: state \"{SnapshotRules.Printable(status.State)}\" is none of {string.Join(", ", ProbeStates.WireNames)}";
        }

        if (!double.IsFinite(status.LinesPerSecond) || status.LinesPerSecond < 0)
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: lines_per_second must be a finite number, not {status.LinesPerSecond}";
        }

        if (status.AtUnixMs is < SnapshotRules.MinStartUnixMs or > SnapshotRules.MaxStartUnixMs)
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: at_unix_ms {status.AtUnixMs} is not a time between 2000 and 9999";
        }

        if (status.RetryAtUnixMs != 0 && status.RetryAtUnixMs is < SnapshotRules.MinStartUnixMs or > SnapshotRules.MaxStartUnixMs)
        {
            return $"probe status of {SnapshotRules.Printable(status.Probe)}: retry_at_unix_ms {status.RetryAtUnixMs} is neither 0 nor a time between 2000 and 9999";
        }

        return status.MalformedLines > long.MaxValue || status.RejectedSnapshots > long.MaxValue
            ? $"probe status of {SnapshotRules.Printable(status.Probe)}: a count is above 2^63 - 1"
            : null;
    }

    /// <summary>
    /// Null when a probe's cost can be shown: a window of at least a millisecond, every rate and percentage a finite,
    /// non-negative number, a resident size the API's signed numbers hold. Otherwise why not; the status is kept without it.
    /// </summary>
    public static string? CheckCost(string probe, ProbeCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.WindowMs == 0)
        {
            return $"cost of probe {SnapshotRules.Printable(probe)}: window_ms must be at least 1";
        }

        (string Name, double Value)[] figures =
        [
            ("tracer_cpu_percent", cost.TracerCpuPercent), ("kernel_cpu_percent", cost.KernelCpuPercent), ("kernel_runs_per_second", cost.KernelRunsPerSecond),
            ("events_per_second", cost.EventsPerSecond), ("output_bytes_per_second", cost.OutputBytesPerSecond), ("budget_cpu_percent", cost.BudgetCpuPercent),
        ];
        foreach (var (name, value) in figures)
        {
            if (!double.IsFinite(value) || value < 0)
            {
                return $"cost of probe {SnapshotRules.Printable(probe)}: {name} must be a finite number of at least 0, not {value}";
            }
        }

        return cost.TracerRssBytes > long.MaxValue ? $"cost of probe {SnapshotRules.Printable(probe)}: tracer_rss_bytes is above 2^63 - 1" : null;
    }

    /// <summary>Cuts a probe status's texts to their limits with a visible "[…]" and escapes their control characters.</summary>
    public static void Normalize(ProbeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.Variant = Bounded(status.Variant, MaxNameLength);
        status.LastError = Bounded(status.LastError, MaxErrorLength);
        status.LastRejection = Bounded(status.LastRejection, MaxDescriptionLength);
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters, control characters escaped (the key rule's way); an empty text stays
    /// empty. Only the part that can be kept is looked at, so a text of megabytes costs no more than one at the limit.
    /// </summary>
    public static string Bounded(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? text : KeyRule.Normalize(text.Length > maxLength ? text[..(maxLength + 1)] : text, maxLength);
    }
}
