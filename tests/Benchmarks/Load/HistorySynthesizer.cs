extern alias server;

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using server::Tracefleet.Server.History;
using server::Tracefleet.Server.History.Encoding;
using server::Tracefleet.Server.History.Entities;
using server::Tracefleet.Server.History.Tiers;

namespace Tracefleet.Benchmarks.Load;

/// <summary>
/// Writes D days of history for the simulated hosts before the server starts, as the rollup tiers would
/// hold it: day and hour buckets for every day and hour, minute buckets for the last two hours (what a
/// 7-day query reads besides them). Raw seconds are what the load run itself adds.
/// </summary>
internal static class HistorySynthesizer
{
    public static async Task RunAsync(StorageOptions storage, int hosts, int days, int keys, CancellationToken cancellationToken)
    {
        await using var db = await Store.CreateAsync(storage, cancellationToken).ConfigureAwait(false);
        var connection = db.Database.GetDbConnection();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var packer = new PackedWriter();
        var random = new Random(7);
        var keyIds = new List<long>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var k = 0; k < keys * 2; k++)
            {
                keyIds.Add(await InsertAsync(connection, transaction, $"INSERT INTO Keys (Text) VALUES ('synth-key-{k}') RETURNING Id", cancellationToken).ConfigureAwait(false));
            }

            for (var h = 1; h <= hosts; h++)
            {
                await InsertAsync(connection, transaction,
                    $"INSERT INTO Hosts (Name, Os, Kernel, Backend, AgentVersion, ProbesJson, FirstSeenUnixMs, LastSeenUnixMs) VALUES ('sim-{h:D4}', 'linux', '', '', '', '[]', {now}, {now}) RETURNING Id",
                    cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var rows = 0L;
        foreach (var (tier, span) in new[] { (Tier.Day, days * Tiers.DayMs), (Tier.Hour, days * Tiers.DayMs), (Tier.Minute, 2 * Tiers.HourMs) })
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO Rollups (Tier, HostId, Probe, BucketStartUnixMs, Payload) VALUES (@t, @h, @p, @s, @b)";
            foreach (var name in new[] { "@t", "@h", "@p", "@s", "@b" })
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = name;
                insert.Parameters.Add(parameter);
            }

            var seconds = tier.BucketMs() / 1000;
            for (var start = tier.BucketStart(now - span); start < tier.BucketStart(now); start += tier.BucketMs())
            {
                for (var host = 1; host <= hosts; host++)
                {
                    foreach (var probe in Probe.All)
                    {
                        var stats = new Dictionary<long, KeyStats>(keys);
                        for (var k = 0; k < keys; k++)
                        {
                            var mean = 50_000UL / (ulong)(k + 1);
                            var s = new KeyStats();
                            s.Add(seconds, [mean * (ulong)seconds, mean * (ulong)seconds / 2], [0, 0], [mean * 2, mean]);
                            stats[keyIds[(k + random.Next(keys)) % keyIds.Count]] = s;
                        }

                        insert.Parameters[0].Value = (long)tier;
                        insert.Parameters[1].Value = (long)host;
                        insert.Parameters[2].Value = (long)probe.Id;
                        insert.Parameters[3].Value = start;
                        insert.Parameters[4].Value = RollupPayload.Encode(packer, stats, probe.ValueCount);
                        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        rows++;
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // As the server's migration counts the buckets stored before folding: these hours and days are built, so queries read
        // them and maintenance folds only those that close from now on.
        await Sql.ExecuteAsync(connection, null,
            $"UPDATE HistoryState SET HoursFoldedBeforeUnixMs = {Tier.Hour.BucketStart(now)}, DaysFoldedBeforeUnixMs = {Tier.Day.BucketStart(now)} WHERE Id = 1",
            cancellationToken).ConfigureAwait(false);
        // On PostgreSQL the buckets landed in the DEFAULT partitions: carved into their own now, as the server's first
        // maintenance pass would (holding its writer a while), so the run measures a store as the server keeps it.
        if (Store.Engine(storage).Partitions is { } partitions)
        {
            var keepAll = now - ((days + 1) * Tiers.DayMs);
            var pass = await partitions.MaintainAsync(
                connection, new OwnTransactions(connection, Store.Engine(storage).OneWriterSql), now, (keepAll, keepAll, keepAll), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"partitions: {pass.Created} created, {pass.RowsCarved} rows carved out of the DEFAULT partitions");
        }

        Console.Error.WriteLine($"synthesized {days} days for {hosts} hosts: {rows} rollup buckets");
    }

    private static async Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
