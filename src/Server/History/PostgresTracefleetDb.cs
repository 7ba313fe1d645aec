using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// The same store on PostgreSQL, with migrations of its own (History/Migrations/Postgres). Every table, column,
/// key and index is named in lower case, which is what PostgreSQL folds an unquoted name to: the store's SQL
/// writes <c>Snapshots.HostId</c> unquoted, and both engines find the same column.
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
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(entity.GetTableName()!.ToLowerInvariant());
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(property.GetColumnName().ToLowerInvariant());
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(key.GetName()!.ToLowerInvariant());
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(foreignKey.GetConstraintName()!.ToLowerInvariant());
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(index.GetDatabaseName()!.ToLowerInvariant());
            }
        }
    }
}
