using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>Records a host as its agent describes itself at hello; once per connection, so EF Core's change tracker is fine here.</summary>
public sealed class HostDirectory(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<HostRecord> RegisterAsync(Hello hello, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.Name == hello.Host, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            host = new HostRecord { Name = hello.Host, FirstSeenUnixMs = now };
            db.Hosts.Add(host);
        }

        host.Os = hello.Os;
        host.Kernel = hello.Kernel;
        host.Backend = hello.Backend;
        host.AgentVersion = hello.AgentVersion;
        host.ProbesJson = JsonSerializer.Serialize(
            hello.Probes.Select(p => new ProbeDescription(p.Name, p.Variant, p.Limitations)).ToList(),
            ProbeDescription.Json);
        host.LastSeenUnixMs = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException) when (host.Id == 0)
        {
            // Two agents of a new host said hello at once; the other one inserted it.
            db.ChangeTracker.Clear();
            return await RegisterAsync(hello, cancellationToken).ConfigureAwait(false);
        }

        return host;
    }
}

/// <summary>A probe as the host's agent runs it.</summary>
public sealed record ProbeDescription(string Name, string Variant, string Limitations)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
