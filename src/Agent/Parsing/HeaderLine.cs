using Tracefleet.Agent.Probes;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Recognises the header line each script prints at the top of every interval: the probe's value columns, each headed
/// by its catalogue name in capitals (<c>ALLOCS FREES</c>), then the layout of the key (<see cref="TableFormat"/>).
/// </summary>
public static class HeaderLine
{
    // Indexed as ProbeKind: each probe's value column headers in order.
    private static readonly string[][] ValueHeaders =
        [.. ProbeCatalogue.All.Select(p => p.Columns.Select(c => c.Name.ToUpperInvariant()).ToArray())];

    public static bool TryParse(string line, out TableFormat format)
    {
        // Headers are short; a row never starts with a letter, so splitting only header-like lines is cheap.
        var trimmed = line.AsSpan().TrimStart(' ');
        format = default;
        if (trimmed.Length == 0 || !StartsSomeHeader(trimmed[0]))
        {
            return false;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < ValueHeaders.Length; i++)
        {
            var headers = ValueHeaders[i];
            if (words.Length > headers.Length
                && words.AsSpan(0, headers.Length).SequenceEqual(headers)
                && TryReadLayout((ProbeKind)i, words.AsSpan(headers.Length), out format))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What follows the value columns: the key (<c>VMFILE</c>), its length and the key (<c>LEN VMFILE</c>), or bpftrace's <c>DEV INODE</c>.</summary>
    private static bool TryReadLayout(ProbeKind probe, ReadOnlySpan<string> rest, out TableFormat format)
    {
        var key = probe.Definition().Key;
        KeyLayout? layout = rest switch
        {
            [var header] when IsKeyHeader(key, header) => KeyLayout.Plain,
            ["LEN", var header] when IsKeyHeader(key, header) => KeyLayout.LengthPrefixed,
            ["DEV", "INODE"] => KeyLayout.DevInode,
            _ => null,
        };
        format = new TableFormat(probe, layout ?? default);
        return layout is not null;
    }

    private static bool IsKeyHeader(KeyColumn key, string header) =>
        string.Equals(header, key.Header, StringComparison.Ordinal) || string.Equals(header, key.SolarisHeader, StringComparison.Ordinal);

    private static bool StartsSomeHeader(char first)
    {
        foreach (var headers in ValueHeaders)
        {
            if (headers[0][0] == first)
            {
                return true;
            }
        }

        return false;
    }
}
