using Microsoft.EntityFrameworkCore;

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
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
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

    public Dictionary<long, (long First, long Second, int Hosts)> Keys { get; } = [];

    public override void Add(long hostId, long bucket, long keyId, long first, long second)
    {
        ref var total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Keys, keyId, out _);
        total.First += first;
        total.Second += second;
        if (_seen.Add((keyId, hostId)))
        {
            total.Hosts++;
        }
    }
}
