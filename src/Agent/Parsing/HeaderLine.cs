using System.Collections.Immutable;

namespace Tracefleet.Agent.Parsing;

/// <summary>
/// Recognises the header line each script prints at the top of every interval: the probe's value columns, each headed
/// by its name in capitals (<c>ALLOCS FREES</c>), then the key in the layout of a <see cref="TableFormat"/>: its header
/// (<c>SLAB</c>), <c>LEN</c> and its header, or <c>DEV INODE</c>. A probe's key headers are the built-in ones of its
/// <see cref="KeyColumn"/> (Linux and Solaris) and those its descriptor's variants print (<see cref="Register"/>).
/// </summary>
public static class HeaderLine
{
    private static readonly Lock Gate = new();

    // Swapped whole when a probe is registered (at start, from descriptors); read without a lock on every line.
    private static volatile Known[] _known = [.. ProbeCatalogue.All.Select(Known.Of)];

    /// <summary>Recognises <paramref name="keyHeader"/> (<c>PROCESS</c>, <c>DEVICE PROCESS</c>) as a header of <paramref name="probe"/>'s key.</summary>
    public static void Register(ProbeDefinition probe, string keyHeader)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyHeader);
        lock (Gate)
        {
            var known = _known.ToList();
            var index = known.FindIndex(k => k.Probe == probe);
            var entry = index >= 0 ? known[index] : Known.Of(probe);
            entry = entry with { KeyHeaders = entry.KeyHeaders.Add(keyHeader) };
            if (index >= 0)
            {
                known[index] = entry;
            }
            else
            {
                known.Add(entry);
            }

            _known = [.. known];
        }
    }

    /// <summary>The format <paramref name="line"/> heads, if it is a header of any known probe.</summary>
    public static bool TryParse(string line, out TableFormat format) => TryParse(line, null, out format);

    /// <summary>The format <paramref name="line"/> heads, if it is a header of one of <paramref name="probes"/> (null: any known probe).</summary>
    public static bool TryParse(string line, IReadOnlyCollection<ProbeDefinition>? probes, out TableFormat format)
    {
        // Headers are short; a row never starts with a letter, so splitting only header-like lines is cheap.
        var trimmed = line.AsSpan().TrimStart(' ');
        format = default;
        var known = _known;
        if (trimmed.Length == 0 || !char.IsAsciiLetterUpper(trimmed[0]))
        {
            return false;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var probe in known)
        {
            if (probes is not null && !probes.Contains(probe.Probe))
            {
                continue;
            }

            if (words.Length > probe.ValueHeaders.Length
                && words.AsSpan(0, probe.ValueHeaders.Length).SequenceEqual(probe.ValueHeaders)
                && TryReadLayout(probe, words.AsSpan(probe.ValueHeaders.Length), out format))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What follows the value columns: the key (<c>VMFILE</c>), its length and the key (<c>LEN VMFILE</c>), or bpftrace's <c>DEV INODE</c>.</summary>
    private static bool TryReadLayout(Known probe, ReadOnlySpan<string> rest, out TableFormat format)
    {
        KeyLayout? layout = rest switch
        {
            ["DEV", "INODE"] => KeyLayout.DevInode,
            ["LEN", .. var key] when probe.KeyHeaders.Contains(string.Join(' ', key.ToArray())) => KeyLayout.LengthPrefixed,
            _ when probe.KeyHeaders.Contains(string.Join(' ', rest.ToArray())) => KeyLayout.Plain,
            _ => null,
        };
        format = new TableFormat(probe.Probe, layout ?? default);
        return layout is not null;
    }

    private sealed record Known(ProbeDefinition Probe, string[] ValueHeaders, ImmutableHashSet<string> KeyHeaders)
    {
        public static Known Of(ProbeDefinition probe) => new(
            probe,
            [.. probe.Columns.Select(c => c.Name.ToUpperInvariant())],
            [probe.Key.HeaderFor("linux"), probe.Key.HeaderFor("solaris")]);
    }
}
