using Microsoft.EntityFrameworkCore;

namespace Tracefleet.Server.History.Engines;

public static class StoreEngineServices
{
    /// <summary>
    /// Registers the engine of <paramref name="provider"/> as the server's one <see cref="IStoreEngine"/>, and
    /// <see cref="TracefleetDb"/> as that engine's context (PostgreSQL's carries its own model and migrations).
    /// </summary>
    public static IServiceCollection AddStoreEngine(this IServiceCollection services, StorageProvider provider)
    {
        if (provider == StorageProvider.Postgres)
        {
            services.AddSingleton<IStoreEngine, PostgresEngine>();
            services.AddDbContext<TracefleetDb, PostgresTracefleetDb>(Configure);
        }
        else
        {
            services.AddSingleton<IStoreEngine, SqliteEngine>();
            services.AddDbContext<TracefleetDb>(Configure);
        }

        return services;

        static void Configure(IServiceProvider services, DbContextOptionsBuilder options) => services.GetRequiredService<IStoreEngine>().Configure(options);
    }
}
