using System.Text.Json;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>A probe of <c>GET /api/hosts/{name}</c>, with the fields the tests read: its health, and its cost when measured.</summary>
public sealed record ProbeStatusDto(
    string Name, string? Variant, string? State, string? LastError, int? Restarts, DateTime? RetryAt, ProbeCostDto? Cost);

/// <summary>A probe's <c>cost</c> in <c>GET /api/hosts/{name}</c>.</summary>
public sealed record ProbeCostDto(double TracerCpuPercent, double? KernelCpuPercent, double EventsPerSecond, double BudgetCpuPercent);

public static class ProbeStatuses
{
    /// <summary>The host's probes as the API shows them; none while the host is unknown (its agent has not said hello).</summary>
    public static async Task<IReadOnlyList<ProbeStatusDto>> ReadAsync(ServerProcess server, string host)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var response = await server.Http.GetAsync($"/api/hosts/{host}");
        return response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize<HostDto>(await response.Content.ReadAsStringAsync(), ServerProcess.Json)!.Probes
            : [];
    }

    private sealed record HostDto(IReadOnlyList<ProbeStatusDto> Probes);
}
