using System.Data.Common;
using Tracefleet.Server.History.Engines;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.History.Queries;

/// <summary>The small lookups around a scan: data bounds, rollup progress, key names.</summary>
public sealed partial class HistoryReader
{
    /// <summary>Rollups answer only buckets ending by the start of the oldest snapshot not yet rolled up.</summary>
    public async Task<long> RolledUntilAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT MIN(StartUnixMs) FROM Snapshots WHERE Id > (SELECT RolledUpToSnapshotId FROM HistoryState WHERE Id = 1)");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long pending ? pending : long.MaxValue;
    }

    /// <summary>[first, last] of everything stored, as a half-open range; empty when nothing is.</summary>
    public async Task<(long From, long To)> DataBoundsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT MIN(lo), MAX(hi) FROM (
              SELECT MIN(StartUnixMs) AS lo, MAX(StartUnixMs) + 1 AS hi FROM Snapshots
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
            await using var command = Command(StoreEngine.Of(connection).KeyIdSql, ("@text", text));
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id)
            {
                ids[id] = text;
            }
        }

        return ids;
    }

    internal DbCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
