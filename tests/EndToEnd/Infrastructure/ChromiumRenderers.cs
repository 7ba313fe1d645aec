using System.Globalization;

namespace Tracefleet.EndToEnd.Infrastructure;

/// <summary>
/// Chromium's renderer processes, found in /proc: a page's renderer holds its JavaScript and WebAssembly heaps, so its
/// resident set is the tab's memory as the machine sees it (the JavaScript heap figure leaves WebAssembly out).
/// </summary>
public static class ChromiumRenderers
{
    /// <summary>
    /// Resident set size in MB of the largest renderer under the browser started with <paramref name="marker"/> among its
    /// arguments (with one page open, that page's renderer; a spare renderer is a few MB).
    /// </summary>
    /// <exception cref="InvalidOperationException">No browser has the marker, or it has no renderer.</exception>
    public static double LargestRssMb(string marker)
    {
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Parent: ParentOf(pid), CommandLine: CommandLineOf(pid)))
            .Where(p => p.Parent > 0)
            .ToList();
        var browser = processes.FirstOrDefault(p => p.CommandLine.Contains(marker, StringComparison.Ordinal) && !p.CommandLine.Contains("--type=", StringComparison.Ordinal));
        if (browser.Pid == 0)
        {
            throw new InvalidOperationException($"no Chromium browser process started with {marker}");
        }

        var parents = processes.ToDictionary(p => p.Pid, p => p.Parent);
        var renderers = processes
            .Where(p => p.CommandLine.Contains("--type=renderer", StringComparison.Ordinal) && Descends(p.Pid, browser.Pid, parents))
            .Select(p => ProcessMemory.RssMb(p.Pid))
            .ToList();
        return renderers.Count > 0 ? renderers.Max() : throw new InvalidOperationException($"the browser {browser.Pid} has no renderer");
    }

    private static bool Descends(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var at = pid; parents.TryGetValue(at, out var parent); at = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The parent's pid, from /proc/PID/stat (after the command name's closing parenthesis); 0 once the process is gone.</summary>
    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
