using Microsoft.Extensions.Options;

namespace Tracefleet.Server.History;

/// <summary>
/// The store's size for /metrics, whose collection callback cannot wait for a query: a SQLite store is
/// its file and write-ahead log, read at each scrape; a PostgreSQL database is measured by each maintenance pass.
/// </summary>
public sealed class StoreSize(IOptions<StorageOptions> storage)
{
    private readonly string _path = Path.GetFullPath(storage.Value.Path);
    private long _measured;

    public long Bytes => storage.Value.Provider == StorageProvider.Sqlite
        ? FileBytes(_path) + FileBytes(_path + "-wal")
        : Volatile.Read(ref _measured);

    /// <summary>Measures a PostgreSQL database (each maintenance pass calls this); a SQLite file needs no query.</summary>
    public async Task MeasureAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        if (storage.Value.Provider != StorageProvider.Sqlite)
        {
            Volatile.Write(ref _measured, await Engines.StoreEngine.Of(connection).DataBytesAsync(connection, cancellationToken).ConfigureAwait(false));
        }
    }

    private static long FileBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
