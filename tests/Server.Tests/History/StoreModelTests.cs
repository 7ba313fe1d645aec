using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Engines;

namespace Tracefleet.Server.Tests.History;

/// <summary>
/// Each engine's model, as the engine configures it, is the schema its migrations create: a change of names (PostgreSQL's
/// lower case now comes from a naming convention) would show here as a change waiting for a migration.
/// </summary>
public sealed class StoreModelTests
{
    [Fact]
    public void Model_SqliteEngine_HasNoChangesPendingAMigration()
    {
        using var db = Sqlite();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Model_PostgresEngine_HasNoChangesPendingAMigration()
    {
        using var db = Postgres();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Model_PostgresEngine_NamesEverythingAsSqliteDoesInLowerCase()
    {
        using var sqlite = Sqlite();
        using var postgres = Postgres();

        // PostgreSQL keeps keys unique by md5(text), an index its migration makes by hand, not the model.
        var expected = Names(sqlite).Select(n => n.ToLowerInvariant()).Where(n => n != "index ix_keys_text").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Names(postgres));
        Assert.Contains("column snapshots.hostid", expected);
    }

    private static TracefleetDb Sqlite() => new SqliteEngine(Options.Create(new StorageOptions { Path = "model-only.db" })).CreateDb();

    private static PostgresTracefleetDb Postgres() =>
        new PostgresEngine(Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=localhost;Database=model-only" })).CreateDb();

    /// <summary>Every table, column, primary key, foreign key and index of the model, as the database names them, sorted.</summary>
    private static List<string> Names(TracefleetDb db)
    {
        var names = new List<string>();
        foreach (var table in db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables)
        {
            names.Add($"table {table.Name}");
            names.AddRange(table.Columns.Select(c => $"column {table.Name}.{c.Name}"));
            names.AddRange(table.UniqueConstraints.Select(k => $"key {k.Name}"));
            names.AddRange(table.ForeignKeyConstraints.Select(f => $"foreign key {f.Name}"));
            names.AddRange(table.Indexes.Select(i => $"index {i.Name}"));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
