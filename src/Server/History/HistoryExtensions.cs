using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Maintenance;
using Tracefleet.Server.History.Queries;

namespace Tracefleet.Server.History;

public static class HistoryExtensions
{
    /// <summary>
    /// The store: a SQLite file at <c>Storage:Path</c> or a PostgreSQL database (<c>Storage:Provider=postgres</c>,
    /// <c>Storage:ConnectionString</c>), its one writer, the queue that feeds it, and tiered-history maintenance.
    /// </summary>
    public static WebApplicationBuilder AddHistory(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<StorageOptions>>(
                (history, storage) => history.MaxDatabaseMb == 0 || storage.Value.Provider == StorageProvider.Sqlite,
                "History:MaxDatabaseMb applies to a SQLite store; on PostgreSQL the database server manages space (History:*Retention still apply)")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        var provider = builder.Configuration.GetSection(StorageOptions.Section).GetValue(nameof(StorageOptions.Provider), StorageProvider.Sqlite);
        builder.Services.AddStoreEngine(provider);
        builder.Services.AddScoped<HistoryQueries>();
        builder.Services.AddSingleton<SettledBucketCache>();
        builder.Services.AddSingleton<StoreSize>();
        builder.Services.AddSingleton<SnapshotInbox>();
        builder.Services.AddSingleton<StoreWrites>();
        builder.Services.AddSingleton<WriterJobs>();
        builder.Services.AddHostedService<SnapshotWriter>();
        builder.Services.AddHostedService<HistoryMaintenance>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TracefleetDb>("storage");
        return builder;
    }

    /// <summary>Creates the database (file or PostgreSQL database) and applies migrations before anything listens.</summary>
    public static async Task MigrateHistoryAsync(this WebApplication app)
    {
        // Reading the options validates them: a setting the store refuses stops the server before it touches the database.
        _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<HistoryOptions>>().Value;
        await app.Services.GetRequiredService<IStoreEngine>().PrepareAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        await db.Database.MigrateAsync().ConfigureAwait(false);
        // Probes learnt from agents' descriptors, before anything reads their history or takes their snapshots.
        await app.Services.GetRequiredService<Ingest.LearntProbes>().LoadAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
    }
}
