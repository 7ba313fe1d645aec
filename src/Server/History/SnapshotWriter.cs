using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Maintenance;

namespace Tracefleet.Server.History;

/// <summary>
/// The store's only writer. It drains the queue in batches and writes each batch in one transaction
/// with prepared statements, bypassing EF Core's change tracker (which would cost a SaveChanges per
/// row). A snapshot already stored (same host, epoch, sequence) is skipped and reported as such.
/// Only after the commit are the snapshots' <c>Stored</c> tasks completed, so an ack means durable.
/// Maintenance writes (rollups, retention, size cap) come through <see cref="WriterJobs"/> and run one
/// per batch at most, in their own short transactions, so ingest never waits for more than one of them.
/// </summary>
public sealed partial class SnapshotWriter(
    SnapshotInbox queue,
    WriterJobs jobs,
    IServiceScopeFactory scopes,
    IOptions<StorageOptions> options,
    TimeProvider time,
    IEnumerable<ICommittedSnapshotSink> sinks,
    ILogger<SnapshotWriter> logger) : BackgroundService
{
    private readonly ICommittedSnapshotSink[] _sinks = [.. sinks];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using var statements = new WriterStatements(connection);
        var batch = new List<PendingSnapshot>(options.Value.MaxBatchSnapshots);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wrote = false;
                if (queue.Reader.TryRead(out var first))
                {
                    batch.Clear();
                    batch.Add(first);
                    while (batch.Count < options.Value.MaxBatchSnapshots && queue.Reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }

                    await WriteAsync(connection, statements, batch, stoppingToken).ConfigureAwait(false);
                    wrote = true;
                }

                if (jobs.Reader.TryRead(out var job))
                {
                    await RunJobAsync(connection, job, stoppingToken).ConfigureAwait(false);
                    wrote = true;
                }

                if (!wrote)
                {
                    await Task.WhenAny(queue.Reader.WaitToReadAsync(stoppingToken).AsTask(), jobs.Reader.WaitToReadAsync(stoppingToken).AsTask())
                        .ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged, so the agents resend it.
        }
    }

    private async Task WriteAsync(DbConnection connection, WriterStatements statements, List<PendingSnapshot> batch, CancellationToken cancellationToken)
    {
        var stored = new bool[batch.Count];
        try
        {
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await OneWriterAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                statements.Enlist(transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    stored[i] = await statements.InsertAsync(batch[i], cancellationToken).ConfigureAwait(false);
                }

                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var hostId in batch.Select(b => b.HostId).Distinct())
                {
                    await statements.TouchHostAsync(hostId, now, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing of this batch is acknowledged; the agents will resend it.
            statements.ForgetUncommittedKeys();
            LogBatchFailed(logger, batch.Count, e);
            foreach (var item in batch)
            {
                item.Stored.TrySetException(e);
            }

            return;
        }

        statements.KeepCommittedKeys();
        var committedAt = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Stored.TrySetResult(stored[i]);
            // Only newly stored snapshots go live; a resend was shown when it was first stored.
            if (stored[i])
            {
                foreach (var sink in _sinks)
                {
                    sink.Committed(batch[i], committedAt);
                }
            }
        }
    }

    private static async Task RunJobAsync(DbConnection connection, WriterJob job, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await OneWriterAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var affected = await job.Write(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            job.Done.TrySetResult(affected);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The maintenance service logs it and tries again on its next pass.
            job.Done.TrySetException(e);
        }
    }

    /// <summary>Waits until no other server sharing the database is writing (see <see cref="StoreEngine.OneWriterSql"/>).</summary>
    internal static async Task OneWriterAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (StoreEngine.Of(connection).OneWriterSql is { } sql)
        {
            await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing a batch of {Count} snapshots failed; none is acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}
