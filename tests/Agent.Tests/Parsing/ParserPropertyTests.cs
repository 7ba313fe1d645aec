using System.Globalization;
using System.Text;
using CsCheck;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Processes;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Snapshots;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Agent.Tests.Parsing;

/// <summary>
/// Any bytes under each of the five table headers, through the agent's whole input side (the line splitter, the
/// reader, the assembler's naming and summing, the mapping to the wire with its key budget), give only tables
/// whose keys obey the key rule and snapshots the server's admission check (<see cref="SnapshotRules"/>) stores as sent.
/// </summary>
public sealed class ParserPropertyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly string[] Headers =
    [
        "  FAULTS VMFILE", "  ALLOCS    FREES SLAB", "  FAULTS   LEN VMFILE", "  ALLOCS    FREES   LEN SLAB", "  FAULTS DEV INODE",
    ];

    private static readonly Gen<string> Bytes = Gen.Byte.Array[0, 80].Select(b => Encoding.Latin1.GetString(b));

    // Keys: mostly short and of any byte (NUL, CR, LF, ESC, invalid UTF-8), sometimes plain, sometimes far past the length limit.
    private static readonly Gen<string> Key = Gen.Frequency(
        (6, Gen.Byte.Array[1, 24].Select(b => Encoding.Latin1.GetString(b))),
        (3, Gen.Byte[0x20, 0x7E].Array[1, 12].Select(b => Encoding.Latin1.GetString(b))),
        (1, Gen.Byte[0x80, 0xFF].Array[1000, 5000].Select(b => Encoding.Latin1.GetString(b))));

    private static readonly Gen<ulong> Count = Gen.Frequency((4, Gen.ULong[0, 100_000]), (1, Gen.ULong));

    /// <summary>A row as the format's printer would write it, with any key, sometimes a wrong declared length.</summary>
    private static Gen<string> Row(int format) =>
        Gen.Select(Key, Count, Count, Gen.Int[-2, 2], Gen.Int[0, 3], (key, a, b, skew, shape) => format switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"{a,8} {key}"),
            1 => shape switch
            {
                0 => string.Create(CultureInfo.InvariantCulture, $"@allocs[{key}]: {a}"),
                1 => string.Create(CultureInfo.InvariantCulture, $"@frees[{key}]: {a}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{a,8} {b,8} {key}"),
            },
            2 => string.Create(CultureInfo.InvariantCulture, $"{a,8} {Math.Max(0, key.Length + (shape == 0 ? skew : 0)),5} {key}"),
            3 => string.Create(CultureInfo.InvariantCulture, $"{a,8} {b,8} {Math.Max(0, key.Length + (shape == 0 ? skew : 0)),5} {key}"),
            _ => shape == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{a,8} {key}")
                : string.Create(CultureInfo.InvariantCulture, $"@faults[{a % 4_000_000}, {b}]: {a}"),
        });

    /// <summary>A capture of one format: its header, rows, other bytes and headers of any format, any line ends, cut anywhere.</summary>
    private static Gen<byte[]> Capture(int format) =>
        Gen.Select(
            Gen.Frequency((6, Row(format)), (2, Bytes), (1, Gen.Int[0, 4].Select(h => Headers[h])), (1, Gen.Const(""))).List[0, 40],
            Gen.Bool,
            Gen.Int[0, 3],
            (lines, crlf, ending) =>
            {
                var newline = crlf ? "\r\n" : "\n";
                var text = Headers[format] + newline + string.Join(newline, lines) + (ending == 0 ? "" : newline);
                return Encoding.Latin1.GetBytes(text);
            });

    public static TheoryData<int> Formats() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Read_GeneratedCaptures_KeysObeyTheRuleAndSnapshotsPassAdmission(int format)
    {
        var gen = Gen.Select(Capture(format), Gen.Int[1, 5], Gen.OneOf(0, 1, 3, 1000));

        await Check.SampleAsync(gen, (capture, interval, maxKeys) => AssertAdmissibleAsync(capture, interval, maxKeys), iter: 3000, threads: 1)
            .WaitAsync(Timeout);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Read_ArbitraryBytesAfterAHeader_KeysObeyTheRuleAndSnapshotsPassAdmission(int format)
    {
        var gen = Gen.Byte.Array[0, 3000].Select(bytes => (byte[])[.. Encoding.Latin1.GetBytes(Headers[format] + "\n"), .. bytes]);

        await Check.SampleAsync(gen, capture => AssertAdmissibleAsync(capture, 1, 1000), iter: 2000, threads: 1)
            .WaitAsync(Timeout);
    }

    /// <summary>Reads the bytes as the agent reads a tracer's stdout and checks every table and every snapshot it makes.</summary>
    private static async Task AssertAdmissibleAsync(byte[] capture, int intervalSeconds, int maxKeys)
    {
        var snapshots = new List<Snapshot>();
        var assembler = new SnapshotAssembler(TimeSpan.FromSeconds(intervalSeconds), maxKeys, DevInodeResolver.Unnamed, (snapshot, _) =>
        {
            snapshots.Add(snapshot);
            return Task.CompletedTask;
        });
        var reader = new IntervalReader();
        var ended = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        async Task TakeAsync(ParsedInterval? table)
        {
            if (table is null)
            {
                return;
            }

            AssertTable(table);
            ended = ended.AddSeconds(1);
            await assembler.AddAsync(new CompletedInterval(table, ended), CancellationToken.None);
        }

        using var stream = new MemoryStream(capture);
        await foreach (var line in OutputLines.ReadAsync(stream, CancellationToken.None))
        {
            await TakeAsync(reader.ReadLine(line.Text, line.Terminated));
        }

        await TakeAsync(reader.Complete());
        await assembler.FlushAsync(CancellationToken.None);

        for (var i = 0; i < snapshots.Count; i++)
        {
            // The outbox numbers them; everything else is as the agent made it.
            snapshots[i].Sequence = (ulong)i + 1;
            Assert.Null(SnapshotRules.Check(snapshots[i]));
            Assert.True(maxKeys == 0 || snapshots[i].Keys.Count <= maxKeys + 1, $"{snapshots[i].Keys.Count} rows for --max-keys {maxKeys}");
        }
    }

    /// <summary>A table's keys are unique, and each obeys the rule or is the reader's own (device, inode) placeholder.</summary>
    private static void AssertTable(ParsedInterval table)
    {
        Assert.Equal(table.Rows.Count, table.Rows.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(table.Rows, row => Assert.True(
            KeyRule.IsValid(row.Key, KeyRule.MaxLength) || (table.Format == TableFormats.PageFaultsDevInode && DevInodeKey.TryParse(row.Key, out _, out _)),
            $"key \"{row.Key}\""));
    }
}
