using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>
/// Each probe of a host: backend, variant, running / restarting / failed / suspended (and when it is retried) with the
/// tracer's own error text; "unknown" where the server does not say. Below, what each probe costs the host against its
/// CPU budget; "not measured" where its agent has not said.
/// </summary>
public partial class ProbeStatusList
{
    [Parameter]
    public HostDetail? Host { get; set; }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    /// <summary>Tracer plus kernel CPU, the figure the budget holds; the kernel's part counts only where it was measured.</summary>
    private static double TotalCpu(ProbeCostDetail cost) => cost.TracerCpuPercent + (cost.KernelCpuPercent ?? 0);

    private static bool OverBudget(ProbeCostDetail cost) => cost.BudgetCpuPercent > 0 && TotalCpu(cost) > cost.BudgetCpuPercent;

    /// <summary><c>1.25 %</c>: two decimals, as a budget of a few percent needs.</summary>
    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    /// <summary><c>12.3 MB</c>, a megabyte being 1,000,000 bytes.</summary>
    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static string PerSecond(double value, string unit) => value.ToString("N0", CultureInfo.InvariantCulture) + unit + "/s";

    private static string Seconds(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
