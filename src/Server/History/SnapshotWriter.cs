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
/// Only after the commit are the snapshots' <c>Stored</c> tasks completed, so an ack means durable. A batch that fails
/// because the store cannot write (locked, unreachable) fails every snapshot in it, and their agents resend; one that
/// fails on its data is written again snapshot by snapshot, so only the one the store refuses is refused.
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
    StoreWrites progress,
    IStoreEngine engine,
    ILogger<SnapshotWriter> logger) : BackgroundService
{
    /// <summary>Snapshots of a failed batch written alone, none of them committing, before the store is taken to be down.</summary>
    private const int MaxProbesBeforeUnavailable = 3;

    private readonly ICommittedSnapshotSink[] _sinks = [.. sinks];
    private readonly PoisonSnapshots _poison = new();
    private long _commits;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using var statements = new WriterStatements(engine, connection);
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
        var failure = await TryCommitAsync(connection, statements, batch, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            return;
        }

        LogBatchFailed(logger, batch.Count, failure);
        progress.Failed(time.GetUtcNow().UtcDateTime, FirstLine(failure.Message));
        if (engine.IsTransient(failure))
        {
            Unavailable(batch, failure);
            return;
        }

        // The data may be what the store refused: write each snapshot on its own, so only the one that fails is refused.
        var stillFailing = new List<(PendingSnapshot Snapshot, Exception Failure)>();
        var committed = 0;
        foreach (var pending in batch)
        {
            if (await TryCommitAsync(connection, statements, [pending], cancellationToken).ConfigureAwait(false) is { } alone)
            {
                stillFailing.Add((pending, alone));
                if (committed == 0 && stillFailing.Count >= MaxProbesBeforeUnavailable)
                {
                    // Nothing gets in: the store is the problem after all.
                    break;
                }
            }
            else
            {
                committed++;
            }
        }

        foreach (var (pending, alone) in stillFailing)
        {
            if (committed > 0 || _poison.FailedBeforeWhileStoreWorked(pending, _commits))
            {
                LogRefused(logger, pending.HostName, pending.Snapshot.Sequence, alone);
                pending.Stored.TrySetResult(new StoreResult(StoreOutcome.Refused, $"the store could not write it: {FirstLine(alone.Message)}"));
            }
            else
            {
                _poison.Remember(pending, _commits);
            }
        }

        Unavailable([.. batch.Where(p => !p.Stored.Task.IsCompleted)], failure);
    }

    /// <summary>Writes <paramref name="batch"/> in one transaction and settles each snapshot; returns the failure instead, settling none.</summary>
    private async Task<Exception?> TryCommitAsync(DbConnection connection, WriterStatements statements, List<PendingSnapshot> batch, CancellationToken cancellationToken)
    {
        var outcomes = new StoreOutcome[batch.Count];
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await OneWriterAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            statements.Enlist(transaction);
            await statements.InternKeysAsync(batch, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = await statements.InsertAsync(batch[i], cancellationToken).ConfigureAwait(false);
            }

            await statements.TouchHostsAsync(batch.Select(b => b.HostId).Distinct(), time.GetUtcNow().ToUnixTimeMilliseconds(), transaction, cancellationToken)
                .ConfigureAwait(false);

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Key ids learned in the rolled-back transaction do not exist.
            statements.ForgetUncommittedKeys();
            return e;
        }

        _commits++;
        statements.KeepCommittedKeys();
        var committedAt = time.GetUtcNow().UtcDateTime;
        progress.Committed();
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] == StoreOutcome.Conflict)
            {
                LogConflict(logger, batch[i].HostName, batch[i].Epoch, batch[i].Snapshot.Sequence);
            }

            batch[i].Stored.TrySetResult(new StoreResult(outcomes[i]));
            // Only newly stored snapshots go live; a resend was shown when it was first stored.
            if (outcomes[i] == StoreOutcome.Stored)
            {
                foreach (var sink in _sinks)
                {
                    sink.Committed(batch[i], committedAt);
                }
            }
        }

        return null;
    }

    /// <summary>The store cannot write these now: their streams end, and the agents send them again.</summary>
    private static void Unavailable(IEnumerable<PendingSnapshot> batch, Exception failure)
    {
        var unavailable = new StoreUnavailableException(FirstLine(failure.Message), failure);
        foreach (var pending in batch)
        {
            pending.Stored.TrySetException(unavailable);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private async Task RunJobAsync(DbConnection connection, WriterJob job, CancellationToken cancellationToken)
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

    /// <summary>Waits until no other server sharing the database is writing (see <see cref="IStoreEngine.OneWriterSql"/>).</summary>
    private async Task OneWriterAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (engine.OneWriterSql is { } sql)
        {
            await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing a batch of {Count} snapshots failed; none of it is acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused snapshot {Sequence} of {Host} on its own; it is refused to its agent")]
    private static partial void LogRefused(ILogger logger, string host, ulong sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "CONFLICT: snapshot {Sequence} of {Host} (epoch {Epoch:x16}) reuses a stored sequence number with other content; "
        + "the agent's state was restored or copied. Nothing of it is stored; the agent is told to start a new epoch")]
    private static partial void LogConflict(ILogger logger, string host, ulong epoch, ulong sequence);
}
