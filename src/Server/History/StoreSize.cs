using Tracefleet.Server.History.Engines;

namespace Tracefleet.Server.History;

/// <summary>
/// The store's size for /metrics, whose collection callback cannot wait for a query: what the engine can read
/// without one (a SQLite file and its write-ahead log) at each scrape, otherwise what the last maintenance pass measured.
/// </summary>
public sealed class StoreSize(IStoreEngine engine)
{
    private long _measured;

    public long Bytes => engine.FileBytes ?? Volatile.Read(ref _measured);

    /// <summary>Measures a store whose size takes a query (each maintenance pass calls this); a SQLite file needs none.</summary>
    public async Task MeasureAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        if (engine.FileBytes is null)
        {
            Volatile.Write(ref _measured, await engine.DataBytesAsync(connection, cancellationToken).ConfigureAwait(false));
        }
    }
}
