using System.Globalization;
using System.Text;
using Tracefleet.Agent.Probes;
using Tracefleet.Agent.Resolution;
using Tracefleet.Agent.Snapshots;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Tests.Parsing;

/// <summary>
/// A million random and mutated lines per format through the reader and on through the assembler to the wire:
/// nothing throws, no table ever holds a key twice, every key obeys the key rule, every snapshot passes the
/// server's admission check, bad lines are counted, and the good rows mixed among them still add up exactly
/// (for the line-based formats; a mutated length prefix may legitimately swallow the lines after it).
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Lines = 1_000_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string, string> Formats() => new()
    {
        { "  FAULTS VMFILE", "pagefaults" },
        { "  ALLOCS    FREES SLAB", "kmem" },
        { "  FAULTS   LEN VMFILE", "pagefaults-length" },
        { "  ALLOCS    FREES   LEN SLAB", "kmem-length" },
        { "  FAULTS DEV INODE", "devino" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task ReadLine_MillionRandomAndMutatedLines_NoExceptionKeysValidSnapshotsAdmittedGoodRowsExact(string header, string format)
    {
        var random = new Random(header.Length * 7919);
        var reader = new IntervalReader();
        var goodExpected = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var goodSeen = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var lengthPrefixed = format.EndsWith("-length", StringComparison.Ordinal);
        var snapshots = 0UL;
        var assembler = new SnapshotAssembler(TimeSpan.FromSeconds(1), 1000, DevInodeResolver.Unnamed, (snapshot, _) =>
        {
            snapshot.Sequence = ++snapshots;
            Assert.Null(SnapshotRules.Check(snapshot));
            return Task.CompletedTask;
        });
        var ended = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

        async Task CollectAsync(ParsedInterval? interval)
        {
            if (interval is null)
            {
                return;
            }

            Assert.Equal(interval.Rows.Count, interval.Rows.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
            foreach (var row in interval.Rows)
            {
                if (!KeyRule.IsValid(row.Key, KeyRule.MaxLength) && !DevInodeKey.TryParse(row.Key, out _, out _))
                {
                    Assert.Fail($"key \"{row.Key}\" breaks the key rule");
                }

                if (row.Key.StartsWith("good-", StringComparison.Ordinal))
                {
                    goodSeen[row.Key] = goodSeen.GetValueOrDefault(row.Key) + row.Values[0];
                }
            }

            ended = ended.AddSeconds(1);
            await assembler.AddAsync(new CompletedInterval(interval, ended), CancellationToken.None);
        }

        await CollectAsync(reader.ReadLine(header));
        var crlf = false;
        for (var i = 0; i < Lines; i++)
        {
            string line;
            var dice = random.Next(100);
            // The very last line may lack its newline: a good row there is incomplete unless its length says otherwise.
            var terminated = i < Lines - 1 || random.Next(2) == 0;
            if (dice < 10)
            {
                // A good row with a key of its own, so that it can be told apart from mutations.
                var key = $"good-{i}";
                if (terminated || lengthPrefixed)
                {
                    goodExpected[key] = 7;
                }

                line = Row(format, key, 7, random) + (crlf ? "\r" : "");
            }
            else if (dice < 11)
            {
                // Sometimes as a terminal prints it: a table of CR-LF lines, whose good rows then end in CR too.
                crlf = random.Next(4) == 0;
                line = crlf ? header + "\r" : header;
            }
            else if (dice < 55)
            {
                line = Mutate(Row(format, RandomKey(random), (ulong)random.NextInt64(), random), random);
            }
            else
            {
                line = RandomBytes(random);
            }

            await CollectAsync(reader.ReadLine(line, terminated));
        }

        await CollectAsync(reader.Complete());
        await assembler.FlushAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.True(snapshots > Lines / 200, $"only {snapshots} snapshots");
        Assert.True(reader.TotalMalformedLines > Lines / 10, $"only {reader.TotalMalformedLines} malformed lines counted");
        if (lengthPrefixed)
        {
            // Whatever good rows were not swallowed by a mutated length are exact.
            Assert.All(goodSeen, kv => Assert.Equal(goodExpected[kv.Key], kv.Value));
            Assert.NotEmpty(goodSeen);
        }
        else
        {
            Assert.Equal(goodExpected.Count, goodSeen.Count);
            Assert.All(goodExpected, kv => Assert.Equal(kv.Value, goodSeen[kv.Key]));
        }
    }

    private static string Row(string format, string key, ulong value, Random random) => format switch
    {
        "pagefaults" => string.Create(CultureInfo.InvariantCulture, $"{value,8} {key}"),
        "kmem" => string.Create(CultureInfo.InvariantCulture, $"{value,8} {(ulong)random.Next(1000),8} {key}"),
        "pagefaults-length" => string.Create(CultureInfo.InvariantCulture, $"{value,8} {key.Length,5} {key}"),
        "kmem-length" => string.Create(CultureInfo.InvariantCulture, $"{value,8} {(ulong)random.Next(1000),8} {key.Length,5} {key}"),
        // The dev/ino format's only named row is "???"; good rows are bpftrace map lines whose key is resolved later.
        _ => key.StartsWith("good-", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"{value,8} {key}")
            : string.Create(CultureInfo.InvariantCulture, $"@faults[{random.Next()}, {random.Next()}]: {value}"),
    };

    private static string RandomKey(Random random)
    {
        var length = random.Next(1, 24);
        var key = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            // Mostly printable, sometimes any byte (tracer output is read one char per byte).
            key.Append(random.Next(8) == 0 ? (char)random.Next(0, 256) : (char)random.Next(32, 127));
        }

        return key.ToString();
    }

    private static string RandomBytes(Random random)
    {
        var length = random.Next(0, 60);
        var line = new char[length];
        for (var i = 0; i < length; i++)
        {
            line[i] = random.Next(3) == 0 ? " 0123456789@[],:"[random.Next(16)] : (char)random.Next(0, 256);
        }

        return new string(line);
    }

    private static string Mutate(string line, Random random)
    {
        var chars = new StringBuilder(line);
        for (var edits = random.Next(1, 4); edits > 0 && chars.Length > 0; edits--)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars[at] = (char)random.Next(0, 256);
                    break;
                case 1:
                    chars.Insert(at, " 9-@]:\r\0\n\u001b"[random.Next(10)]);
                    break;
                case 2:
                    chars.Remove(at, 1);
                    break;
                default:
                    chars.Length = at;
                    break;
            }
        }

        return chars.ToString();
    }
}
