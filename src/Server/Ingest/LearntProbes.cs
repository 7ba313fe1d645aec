using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracefleet.Contract.V1;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Probes the server learns from agents' descriptors (<see cref="ProbeInfo.Definition"/>): each new one is stored
/// (<see cref="ProbeRecord"/>) and then joins the catalogue, so its snapshots are accepted and its history stays
/// readable after a restart (<see cref="LoadAsync"/>). A descriptor the catalogue refuses (against the rules, or the
/// same name with other columns) leaves that probe unknown: its snapshots are refused one by one, the host's other
/// probes go on.
/// </summary>
public sealed partial class LearntProbes(IServiceScopeFactory scopes, TimeProvider time, ILogger<LearntProbes> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Puts every stored probe into the catalogue; before the server reads history or takes a stream.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        foreach (var record in await db.Probes.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            var definition = JsonSerializer.Deserialize<ProbeDefinition>(record.DefinitionJson, Json);
            string? problem = "its stored definition is empty";
            if (definition is null || ProbeCatalogue.Register(definition, out problem) is null)
            {
                LogStoredRefused(logger, record.Name, problem ?? "");
            }
        }
    }

    /// <summary>
    /// Learns the new probes of <paramref name="hello"/>; returns why each refused one was refused, by probe name.
    /// Throws what the store throws when it cannot write (the Hello is then refused as unavailable).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LearnAsync(Hello hello, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hello);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var probe in hello.Probes)
        {
            if (probe.Definition is null)
            {
                // An agent that sends no descriptor runs built-in probes by name; an unknown one is refused by its snapshots.
                continue;
            }

            var definition = ProbeDescriptorWire.ToDefinition(probe.Name, probe.Definition, out var problem);
            problem ??= definition is null ? null : ProbeCatalogue.Check(definition);
            if (problem is not null || definition is null)
            {
                refused[probe.Name] = problem ?? "";
                LogRefused(logger, hello.Host, probe.Name, problem ?? "");
                continue;
            }

            if (ProbeCatalogue.Find(definition.Name) is null)
            {
                await StoreAsync(definition, cancellationToken).ConfigureAwait(false);
                if (ProbeCatalogue.Register(definition, out problem) is null)
                {
                    refused[probe.Name] = problem ?? "";
                    LogRefused(logger, hello.Host, probe.Name, problem ?? "");
                    continue;
                }

                LogLearnt(logger, definition.Name, hello.Host, string.Join(", ", definition.Columns.Select(c => c.Name)));
            }
        }

        return refused;
    }

    private async Task StoreAsync(ProbeDefinition definition, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var id = ProbeCatalogue.IdOf(definition.Name);
        if (await db.Probes.AnyAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        db.Probes.Add(new ProbeRecord
        {
            Id = id,
            Name = definition.Name,
            DefinitionJson = JsonSerializer.Serialize(definition, Json),
            FirstSeenUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Two agents brought the same new probe at once and the other one stored it; anything else is the store's failure.
            db.ChangeTracker.Clear();
            if (!await db.Probes.AnyAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learnt probe {Probe} (columns {Columns}) from {Host}")]
    private static partial void LogLearnt(ILogger logger, string probe, string host, string columns);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Probe {Probe} of {Host} refused: {Problem}; its snapshots are refused, the host's other probes go on")]
    private static partial void LogRefused(ILogger logger, string host, string probe, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored probe {Probe} cannot be read back: {Problem}; its history is not served")]
    private static partial void LogStoredRefused(ILogger logger, string probe, string problem);
}
