using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tracefleet.Server.History;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the server.</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<TracefleetDb>
{
    public TracefleetDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<TracefleetDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// The same for PostgreSQL (<c>--context PostgresTracefleetDb --output-dir History/Migrations/Postgres</c>);
/// adding a migration needs no running database.
/// </summary>
public sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresTracefleetDb>
{
    public PostgresTracefleetDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTracefleetDb>().UseNpgsql("Host=localhost;Database=tracefleet").Options);
}
