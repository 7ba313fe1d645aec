using System.Data.Common;
using Tracefleet.Server.History.Encoding;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.History;

/// <summary>
/// A database from before tiered history kept one row per sample; the migration renames that table to
/// LegacySamples and this packs its rows into each snapshot's payload (then drops it), so upgrading keeps
/// the history. Runs at start, before the writer and the maintenance service.
/// </summary>
public static class LegacySamples
{
    private const int BatchSnapshots = 2000;

    /// <summary>Returns how many snapshots were converted (0 when there was nothing to convert).</summary>
    public static async Task<long> ConvertAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'LegacySamples'", cancellationToken) == 0)
        {
            return 0;
        }

        var packer = new PackedWriter();
        long converted = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var snapshots = new List<(long Id, Probe Probe)>();
            await using (var select = Sql.Command(connection, transaction, $"SELECT Id, Probe FROM Snapshots WHERE length(Payload) = 0 ORDER BY Id LIMIT {BatchSnapshots}"))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    snapshots.Add((reader.GetInt64(0), (Probe)reader.GetInt64(1)));
                }
            }

            if (snapshots.Count == 0)
            {
                await using var drop = Sql.Command(connection, transaction, "DROP TABLE LegacySamples");
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return converted;
            }

            foreach (var (id, probe) in snapshots)
            {
                var rows = new List<KeyValues>();
                await using (var select = Sql.Command(connection, transaction, $"SELECT KeyId, First, Second FROM LegacySamples WHERE SnapshotId = {id}"))
                await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        // That table held counts as signed 64-bit integers, saturated at long.MaxValue, never negative.
                        rows.Add(new KeyValues(reader.GetInt64(0), (ulong)Math.Max(0L, reader.GetInt64(1)), (ulong)Math.Max(0L, reader.GetInt64(2))));
                    }
                }

                await using var update = Sql.Command(connection, transaction, $"UPDATE Snapshots SET Payload = $payload WHERE Id = {id}");
                var payload = update.CreateParameter();
                payload.ParameterName = "$payload";
                payload.Value = SnapshotPayload.Encode(packer, rows.ToArray(), probe.ValueCount());
                update.Parameters.Add(payload);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                converted++;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
