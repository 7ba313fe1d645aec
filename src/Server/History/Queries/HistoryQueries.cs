using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.History.Engines;

namespace Tracefleet.Server.History.Queries;

/// <summary>Runs a read on the context's connection in one read transaction.</summary>
public static class HistoryQueries
{
    public static async Task<T> ReadAsync<T>(TracefleetDb db, Func<HistoryReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(StoreEngine.Of(connection).ConsistentRead, cancellationToken).ConfigureAwait(false);
            return await read(new HistoryReader(connection, transaction)).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The order of every top: first value descending, then second descending, then key (ordinal).</summary>
    public static int TopOrder(long firstA, long secondA, string keyA, long firstB, long secondB, string keyB)
    {
        var c = firstB.CompareTo(firstA);
        if (c == 0)
        {
            c = secondB.CompareTo(secondA);
        }

        return c != 0 ? c : string.CompareOrdinal(keyA, keyB);
    }
}

/// <summary>Sums per key (and how many hosts had it), all buckets together.</summary>
public sealed class KeySums : ScanSink
{
    private readonly HashSet<(long Key, long Host)> _seen = [];

    public Dictionary<long, KeyTotal> Keys { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, long first, long second)
    {
        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out var known);
        total.First += first;
        total.Second += second;
        // Rows arrive grouped by host (each read is ordered by host), so the set is asked once per run of a host.
        if (!known || total.LastHost != hostId)
        {
            total.LastHost = hostId;
            if (_seen.Add((keyId, hostId)))
            {
                total.Hosts++;
            }
        }
    }
}

/// <summary>A key's sums so far, and the hosts that had it.</summary>
public struct KeyTotal
{
    public long First { get; set; }

    public long Second { get; set; }

    public int Hosts { get; set; }

    public long LastHost { get; set; }
}
