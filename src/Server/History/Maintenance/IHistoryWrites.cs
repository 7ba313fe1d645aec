using System.Data.Common;

namespace Tracefleet.Server.History.Maintenance;

/// <summary>A write of the maintenance (rollups, deletions) run in its own transaction; returns rows affected.</summary>
public delegate Task<int> HistoryWrite(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

/// <summary>Where maintenance sends its writes: in the server, the one writer, between snapshot batches.</summary>
public interface IHistoryWrites
{
    Task<int> RunAsync(HistoryWrite write, CancellationToken cancellationToken);
}
