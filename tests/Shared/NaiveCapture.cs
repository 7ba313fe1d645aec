using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tracefleet.TestSupport;

/// <summary>
/// An independent reference reading of a capture in the exercise's and bpftrace's formats (not the
/// length-prefixed ones): one regex per line shape, a new interval at each header, counts summed per key.
/// It shares no code with the agent's IntervalReader and refuses any line it does not understand.
/// </summary>
public static partial class NaiveCapture
{
    // [ ] and [0-9] rather than \s and \d: .NET's classes also match Unicode spaces and digits.
    [GeneratedRegex("^ *(FAULTS|ALLOCS) ")]
    private static partial Regex Header();

    [GeneratedRegex("^ *([0-9]+) (.+)$")]
    private static partial Regex PageFaultRow();

    [GeneratedRegex("^ *([0-9]+) +([0-9]+) (.+)$")]
    private static partial Regex KmemRow();

    [GeneratedRegex(@"^@(\w+)\[(.*)\]: ([0-9]+)$")]
    private static partial Regex MapLine();

    [GeneratedRegex("^([0-9]+), ([0-9]+)$")]
    private static partial Regex DevInode();

    /// <summary>Per interval, per key: (first, second) counts.</summary>
    public static List<Dictionary<string, (ulong First, ulong Second)>> Read(string path, Func<ulong, ulong, string>? devInodeKey = null)
    {
        // Strict UTF-8: a capture with other bytes needs a reference that knows KeyRule's escapes.
        var text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var intervals = new List<Dictionary<string, (ulong, ulong)>>();
        var kmem = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("Attaching ", StringComparison.Ordinal))
            {
                continue;
            }

            if (Header().Match(line) is { Success: true } header)
            {
                kmem = header.Groups[1].Value == "ALLOCS";
                intervals.Add(new Dictionary<string, (ulong, ulong)>(StringComparer.Ordinal));
                continue;
            }

            var current = intervals.Count > 0 ? intervals[^1] : throw new InvalidDataException($"{path}: row before any header: {line}");
            if (MapLine().Match(line) is { Success: true } map)
            {
                var value = Number(map.Groups[3]);
                switch (map.Groups[1].Value)
                {
                    case "faults" when DevInode().Match(map.Groups[2].Value) is { Success: true } devIno:
                        AddTo(current, (devInodeKey ?? DevInodePlaceholder)(Number(devIno.Groups[1]), Number(devIno.Groups[2])), value, 0);
                        break;
                    case "allocs":
                        AddTo(current, map.Groups[2].Value, value, 0);
                        break;
                    case "frees":
                        AddTo(current, map.Groups[2].Value, 0, value);
                        break;
                    default:
                        throw new InvalidDataException($"{path}: unknown map line: {line}");
                }
            }
            else if (kmem && KmemRow().Match(line) is { Success: true } kmemRow)
            {
                AddTo(current, kmemRow.Groups[3].Value, Number(kmemRow.Groups[1]), Number(kmemRow.Groups[2]));
            }
            else if (!kmem && PageFaultRow().Match(line) is { Success: true } row)
            {
                AddTo(current, row.Groups[2].Value, Number(row.Groups[1]), 0);
            }
            else
            {
                throw new InvalidDataException($"{path}: the reference does not understand: {line}");
            }
        }

        return intervals;
    }

    /// <summary>How a bpftrace (device, inode) key is named when the caller does not say: the agent names it its own way.</summary>
    private static string DevInodePlaceholder(ulong device, ulong inode) => string.Create(CultureInfo.InvariantCulture, $"[{device}, {inode}]");

    private static ulong Number(Group group) => ulong.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static void AddTo(Dictionary<string, (ulong First, ulong Second)> interval, string key, ulong first, ulong second)
    {
        var (a, b) = interval.GetValueOrDefault(key);
        interval[key] = (checked(a + first), checked(b + second));
    }
}
