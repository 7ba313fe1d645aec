using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;
using Tracefleet.Server.Hosting;

namespace Tracefleet.Server.Tests.Hosting;

public sealed class IngestHealthCheckTests
{
    [Fact]
    public async Task Check_NoWriterRegistered_Unhealthy()
    {
        var storage = Options.Create(new StorageOptions());
        var check = new IngestHealthCheck(Array.Empty<IHostedService>(), new SnapshotInbox(storage), storage, new StoreWrites());

        var result = await check.CheckHealthAsync(new HealthCheckContext()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("writer", result.Description, StringComparison.Ordinal);
    }
}
