using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Tracefleet.Web.Components;

/// <summary>Each probe of a host: backend, variant, running / restarting / failed with the tracer's own error text; "unknown" where the server does not say.</summary>
public partial class ProbeStatusList
{
    [Parameter]
    public HostDetail? Host { get; set; }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
