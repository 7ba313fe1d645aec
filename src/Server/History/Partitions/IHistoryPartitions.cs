using System.Data.Common;
using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.History.Partitions;

/// <summary>
/// An engine whose history tables (Snapshots, RawBlocks, Rollups) are partitioned by time; maintenance keeps their partitions
/// (<see cref="Engines.IStoreEngine.Partitions"/>). On such a table no unique index can leave out the time it is partitioned by, so
/// a snapshot's (HostId, Epoch, Sequence) is not unique there and the writer looks it up before inserting.
/// </summary>
public interface IHistoryPartitions
{
    /// <summary>
    /// One maintenance pass over the partitions, each change one writer job: drops whole partitions that retention would empty
    /// anyway (<paramref name="cutoffs"/>, Unix ms, as <see cref="HistoryMaintenance.Cutoffs"/> gives them), then creates the
    /// partitions of the days around <paramref name="nowUnixMs"/> and carves out of the DEFAULT partitions the ranges that
    /// hold rows retention keeps. Throws what the database throws (the next pass tries again).
    /// </summary>
    Task<PartitionPass> MaintainAsync(
        DbConnection connection, IHistoryWrites writes, long nowUnixMs, (long Raw, long Minute, long Hour) cutoffs, CancellationToken cancellationToken);
}

/// <summary>What a pass did: partitions created (with the rows moved into them from a DEFAULT partition) and partitions dropped.</summary>
public readonly record struct PartitionPass(int Created, long RowsCarved, int Dropped);
