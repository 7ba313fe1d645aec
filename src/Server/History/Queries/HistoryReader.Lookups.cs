using System.Data.Common;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Queries;

/// <summary>The small lookups around a scan: data bounds, rollup progress, key names.</summary>
public sealed partial class HistoryReader
{
    /// <summary>
    /// Rollup progress as one read sees it: the mark (every snapshot id up to it is in the minute buckets, and in the hour and
    /// day buckets built so far), the earliest
    /// start among snapshots above it (<see cref="long.MaxValue"/>: none), and the latest start of anything stored,
    /// or null when that cannot be told from the raw snapshots left (every rolled-up one deleted).
    /// </summary>
    public async Task<RollupProgress> ProgressAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT h.RolledUpToSnapshotId,
              (SELECT MIN(StartUnixMs) FROM Snapshots WHERE Id > h.RolledUpToSnapshotId),
              (SELECT MAX(StartUnixMs) FROM Snapshots),
              (SELECT MIN(Id) FROM Snapshots),
              (SELECT MAX(LastStartUnixMs) FROM RawBlocks),
              h.HoursFoldedBeforeUnixMs, h.DaysFoldedBeforeUnixMs, h.SettledBeforeUnixMs, h.SettledRevision
            FROM HistoryState h WHERE h.Id = 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var mark = reader.GetInt64(0);
        var rolledUntil = reader.IsDBNull(1) ? long.MaxValue : reader.GetInt64(1);
        long? latest = reader.IsDBNull(2) ? null : reader.GetInt64(2);
        if (!reader.IsDBNull(4))
        {
            latest = Math.Max(latest ?? long.MinValue, reader.GetInt64(4));
        }

        // Retention and the size cap delete rolled-up snapshots (rows and packed blocks) oldest first, so while one is left the
        // newest ever rolled up is left too, and MAX(start) covers what the rollups hold. With none left (and some rolled up), it does not.
        var rolledUpLeft = (!reader.IsDBNull(3) && reader.GetInt64(3) <= mark) || !reader.IsDBNull(4);
        return new RollupProgress(
            mark, rolledUntil, rolledUpLeft || mark == 0 ? latest : null, new FoldedBefore(reader.GetInt64(5), reader.GetInt64(6)),
            new Settled(reader.GetInt64(7), reader.GetInt64(8)));
    }

    /// <summary>[first, last] of everything stored, as a half-open range; empty when nothing is.</summary>
    public async Task<(long From, long To)> DataBoundsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT MIN(lo), MAX(hi) FROM (
              SELECT MIN(StartUnixMs) AS lo, MAX(StartUnixMs) + 1 AS hi FROM Snapshots
              UNION ALL SELECT MIN(FirstStartUnixMs), MAX(LastStartUnixMs) + 1 FROM RawBlocks
              UNION ALL SELECT MIN(BucketStartUnixMs), MAX(BucketStartUnixMs) + {Tiers.Tiers.MinuteMs} FROM Rollups WHERE Tier = {(int)Tier.Minute}
              UNION ALL SELECT MIN(BucketStartUnixMs), MAX(BucketStartUnixMs) + {Tiers.Tiers.HourMs} FROM Rollups WHERE Tier = {(int)Tier.Hour}
              UNION ALL SELECT MIN(BucketStartUnixMs), MAX(BucketStartUnixMs) + {Tiers.Tiers.DayMs} FROM Rollups WHERE Tier = {(int)Tier.Day}) AS bounds
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
            ? (reader.GetInt64(0), reader.GetInt64(1))
            : (0, 0);
    }

    public async Task<Dictionary<long, string>> KeyNamesAsync(IEnumerable<long> keyIds, CancellationToken cancellationToken)
    {
        var names = new Dictionary<long, string>();
        foreach (var chunk in keyIds.Distinct().Chunk(500))
        {
            await using var command = Command($"SELECT Id, Text FROM Keys WHERE Id IN ({string.Join(",", chunk)})");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        return names;
    }

    public async Task<Dictionary<long, string>> KeyIdsAsync(IReadOnlyCollection<string> texts, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<long, string>();
        foreach (var text in texts)
        {
            await using var command = Command(engine.KeyIdSql, ("@text", text));
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id)
            {
                ids[id] = text;
            }
        }

        return ids;
    }

    internal DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = Sql.Command(connection, transaction, sql, [.. parameters.Select(p => p.Name)]);
        Sql.Set(command, parameters);
        return command;
    }
}

/// <summary>See <see cref="HistoryReader.ProgressAsync"/>; <see cref="Folded"/>: how far hours and days are built; <see cref="Settled"/>: which minutes only late snapshots change.</summary>
public readonly record struct RollupProgress(long Mark, long RolledUntil, long? LatestStart, FoldedBefore Folded, Settled Settled);

/// <summary>Minute buckets ending by <see cref="MinutesBefore"/> (Unix ms) are settled; <see cref="Revision"/> moves with every change to a settled bucket.</summary>
public readonly record struct Settled(long MinutesBefore, long Revision);
