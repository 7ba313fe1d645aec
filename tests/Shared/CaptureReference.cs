using System.Text;
using System.Text.RegularExpressions;

namespace Tracefleet.TestSupport;

/// <summary>
/// A deliberately naive reading of a capture, independent of the agent's parser, used as the oracle:
/// per key, the sum of every row in the file. Good for captures whose keys are plain text.
/// </summary>
public static partial class CaptureReference
{
    public sealed record Totals(int Intervals, IReadOnlyDictionary<string, (long First, long Second)> Keys);

    public static Totals Read(string path)
    {
        var keys = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        var intervals = 0;
        foreach (var line in File.ReadLines(path, Encoding.Latin1))
        {
            if (Header().IsMatch(line))
            {
                intervals++;
            }
            else if (TwoCounts().Match(line) is { Success: true } kmem)
            {
                Add(keys, kmem.Groups[3].Value, long.Parse(kmem.Groups[1].Value), long.Parse(kmem.Groups[2].Value));
            }
            else if (OneCount().Match(line) is { Success: true } faults)
            {
                Add(keys, faults.Groups[2].Value, long.Parse(faults.Groups[1].Value), 0);
            }
        }

        return new Totals(intervals, keys);
    }

    private static void Add(Dictionary<string, (long First, long Second)> keys, string key, long first, long second)
    {
        var sum = keys.GetValueOrDefault(key);
        keys[key] = (sum.First + first, sum.Second + second);
    }

    [GeneratedRegex(@"^\s*(FAULTS|ALLOCS)\s")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*(\d+)\s+(\d+) (.+)$")]
    private static partial Regex TwoCounts();

    [GeneratedRegex(@"^\s*(\d+) (.+)$")]
    private static partial Regex OneCount();
}
