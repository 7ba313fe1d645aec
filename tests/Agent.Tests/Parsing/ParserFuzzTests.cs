using System.Globalization;
using System.Text;

namespace Tracefleet.Agent.Tests.Parsing;

/// <summary>
/// A million random and mutated lines per format through the reader: nothing throws, no table ever
/// holds a key twice, bad lines are counted, and the good rows mixed among them still add up exactly
/// (for the line-based formats; a mutated length prefix may legitimately swallow the lines after it).
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Lines = 1_000_000;

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
    public void ReadLine_MillionRandomAndMutatedLines_NoExceptionKeysUniqueGoodRowsExact(string header, string format)
    {
        var random = new Random(header.Length * 7919);
        var reader = new IntervalReader();
        var goodExpected = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var goodSeen = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var lengthPrefixed = format.EndsWith("-length", StringComparison.Ordinal);

        void Collect(ParsedInterval? interval)
        {
            if (interval is null)
            {
                return;
            }

            Assert.Equal(interval.Rows.Count, interval.Rows.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
            foreach (var row in interval.Rows.Where(r => r.Key.StartsWith("good-", StringComparison.Ordinal)))
            {
                goodSeen[row.Key] = goodSeen.GetValueOrDefault(row.Key) + row.First;
            }
        }

        Collect(reader.ReadLine(header));
        for (var i = 0; i < Lines; i++)
        {
            string line;
            var dice = random.Next(100);
            if (dice < 10)
            {
                // A good row with a key of its own, so that it can be told apart from mutations.
                var key = $"good-{i}";
                goodExpected[key] = 7;
                line = Row(format, key, 7, random);
            }
            else if (dice < 11)
            {
                line = header;
            }
            else if (dice < 55)
            {
                line = Mutate(Row(format, RandomKey(random), (ulong)random.NextInt64(), random), random);
            }
            else
            {
                line = RandomBytes(random);
            }

            Collect(reader.ReadLine(line));
        }

        Collect(reader.Complete());

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
                    chars.Insert(at, " 9-@]:"[random.Next(6)]);
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
