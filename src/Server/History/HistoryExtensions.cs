using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.History;

public static class HistoryExtensions
{
    /// <summary>The store: SQLite file at <c>Storage:Path</c>, its one writer, the queue that feeds it, and tiered-history maintenance.</summary>
    public static WebApplicationBuilder AddHistory(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SqlitePragmas>();
        builder.Services.AddDbContext<TracefleetDb>((services, db) =>
        {
            var path = Path.GetFullPath(services.GetRequiredService<IOptions<StorageOptions>>().Value.Path);
            db.UseSqlite($"Data Source={path};Pooling=True")
              .AddInterceptors(services.GetRequiredService<SqlitePragmas>());
        });
        builder.Services.AddSingleton<SnapshotInbox>();
        builder.Services.AddSingleton<WriterJobs>();
        builder.Services.AddHostedService<SnapshotWriter>();
        builder.Services.AddHostedService<HistoryMaintenance>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TracefleetDb>("storage");
        return builder;
    }

    /// <summary>Creates the database file and applies migrations before anything listens.</summary>
    public static async Task MigrateHistoryAsync(this WebApplication app)
    {
        var path = Path.GetFullPath(app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await SqlitePragmas.PrepareNewFileAsync(path, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        await db.Database.MigrateAsync().ConfigureAwait(false);
        await db.Database.OpenConnectionAsync().ConfigureAwait(false);
        await LegacySamples.ConvertAsync(db.Database.GetDbConnection(), app.Lifetime.ApplicationStopping).ConfigureAwait(false);
    }
}
