using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// A 64-bit XXH3 digest of a snapshot as its agent sent it (probe, interval, rows in order, malformed count): a true
/// resend is the same spooled message and has the same digest; a snapshot that merely reuses a stored sequence number
/// (a restored or copied agent state) has another. Computed field by field, so no copy of the message is made, over the
/// columnar form (<see cref="SnapshotColumns"/>) as the row form's digest always was (count, then each key, its value
/// count and values): the same table digests the same in either wire form, and digests stored before the columnar form
/// still match.
/// </summary>
public static class SnapshotDigest
{
    public static long Of(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var hash = new XxHash3();
        Span<byte> number = stackalloc byte[8];
        AppendText(hash, snapshot.Probe, number);
        Append(hash, number, (ulong)snapshot.StartUnixMs);
        Append(hash, number, snapshot.DurationMs);
        Append(hash, number, snapshot.MalformedLines);
        if (SnapshotColumns.IsRowForm(snapshot))
        {
            AppendRows(hash, snapshot, number);
            return (long)hash.GetCurrentHashAsUInt64();
        }

        var keys = snapshot.Keys;
        var values = snapshot.Values;
        var width = SnapshotColumns.Width(snapshot);
        Append(hash, number, (ulong)keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            AppendText(hash, keys[i], number);
            Append(hash, number, (ulong)width);
            for (var v = i * width; v < (i + 1) * width; v++)
            {
                Append(hash, number, values[v]);
            }
        }

        return (long)hash.GetCurrentHashAsUInt64();
    }

    /// <summary>The row form's bytes, the same as the columnar form's for the same table.</summary>
    private static void AppendRows(XxHash3 hash, Snapshot snapshot, Span<byte> number)
    {
        Append(hash, number, (ulong)snapshot.Rows.Count);
        foreach (var row in snapshot.Rows)
        {
            AppendText(hash, row.Key, number);
            Append(hash, number, (ulong)row.Values.Count);
            foreach (var value in row.Values)
            {
                Append(hash, number, value);
            }
        }
    }

    private static void AppendText(XxHash3 hash, string text, Span<byte> number)
    {
        // The length first, so that ("ab", "c") and ("a", "bc") differ.
        Append(hash, number, (ulong)text.Length);
        hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    private static void Append(XxHash3 hash, Span<byte> number, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(number, value);
        hash.Append(number);
    }
}
