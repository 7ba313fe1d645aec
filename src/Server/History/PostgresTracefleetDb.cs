using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// The same store on PostgreSQL, with migrations of its own (History/Migrations/Postgres) and every name in lower
/// case (<see cref="Engines.PostgresEngine.Configure"/>).
/// Keys are unique by their MD5 rather than their text: a B-tree entry holds at most ~2.7 kB, and a key
/// (a file path) may be 4,096 characters. The migration creates that expression index.
/// </summary>
public sealed class PostgresTracefleetDb(DbContextOptions<PostgresTracefleetDb> options) : TracefleetDb(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        var keys = modelBuilder.Entity<KeyRecord>().Metadata;
        keys.RemoveIndex(keys.GetIndexes().Single(i => i.Properties.Single().Name == nameof(KeyRecord.Text)));
    }
}
