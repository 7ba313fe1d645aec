using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Engines;

namespace Tracefleet.Server.History;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the server.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<TracefleetDb>
{
    public TracefleetDb CreateDbContext(string[] args) =>
        new SqliteEngine(Options.Create(new StorageOptions { Path = "design-time.db" })).CreateDb();
}

/// <summary>
/// The same for PostgreSQL (<c>--context PostgresTracefleetDb --output-dir History/Migrations/Postgres</c>);
/// adding a migration needs no running database.
/// </summary>
public sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresTracefleetDb>
{
    public PostgresTracefleetDb CreateDbContext(string[] args) =>
        new PostgresEngine(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=localhost;Database=tracefleet" })).CreateDb();
}
