using System.Globalization;
using System.Text;
using Tracefleet.TestSupport;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>Captures made at test time from the real ones (repeated), or synthesized (clearly so) for limits.</summary>
public static class TempCaptures
{
    /// <summary>The capture repeated <paramref name="times"/> times: as many intervals, and exactly times × its sums.</summary>
    public static string Repeat(string capture, int times)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-{Path.GetFileNameWithoutExtension(capture)}-x{times}-{Guid.NewGuid():N}.txt");
        var text = File.ReadAllBytes(RepoPaths.Capture(capture));
        using var file = File.Create(path);
        for (var i = 0; i < times; i++)
        {
            file.Write(text);
        }

        return path;
    }

    /// <summary>Expected totals of <paramref name="capture"/> repeated <paramref name="times"/> times.</summary>
    public static Dictionary<string, (long First, long Second)> Times(string capture, int times) =>
        CaptureReference.Read(RepoPaths.Capture(capture)).Keys.ToDictionary(k => k.Key, k => (k.Value.First * times, k.Value.Second * times), StringComparer.Ordinal);

    /// <summary>Synthesized: one pfstat interval with <paramref name="keys"/> distinct files, file i faulting i + 1 times.</summary>
    public static string ManyKeys(int keys)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-synthetic-{keys}-keys-{Guid.NewGuid():N}.txt");
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{"FAULTS",8} VMFILE\n");
        for (var i = 0; i < keys; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1,8} file-{i:D6}.so\n");
        }

        File.WriteAllText(path, text.ToString(), Encoding.ASCII);
        return path;
    }

    /// <summary>Synthesized: one pfstat interval per list, each row a file and its faults.</summary>
    public static string Intervals(IEnumerable<IEnumerable<(string File, long Faults)>> intervals)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tracefleet-synthetic-intervals-{Guid.NewGuid():N}.txt");
        var text = new StringBuilder();
        foreach (var interval in intervals)
        {
            text.Append(CultureInfo.InvariantCulture, $"{"FAULTS",8} VMFILE\n");
            foreach (var (file, faults) in interval)
            {
                text.Append(CultureInfo.InvariantCulture, $"{faults,8} {file}\n");
            }
        }

        File.WriteAllText(path, text.ToString(), Encoding.ASCII);
        return path;
    }

    /// <summary>
    /// Synthesized: <paramref name="intervals"/> pfstat intervals of <paramref name="keys"/> files whose names are
    /// <paramref name="keyLength"/> characters long: large snapshots (about 2 × keys × keyLength bytes as the server holds them).
    /// </summary>
    public static string LongNames(int intervals, int keys, int keyLength) =>
        Intervals(Enumerable.Range(0, intervals).Select(i =>
            Enumerable.Range(0, keys).Select(k => ($"/srv/{k:D3}-{new string((char)('a' + (k % 26)), keyLength - 9)}", (long)(i + k + 1)))));

    public static void Sum(Dictionary<string, (long First, long Second)> into, IReadOnlyDictionary<string, (long First, long Second)> more)
    {
        foreach (var (key, value) in more)
        {
            var sum = into.GetValueOrDefault(key);
            into[key] = (sum.First + value.First, sum.Second + value.Second);
        }
    }
}
