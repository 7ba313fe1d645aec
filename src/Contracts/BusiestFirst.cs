namespace Tracefleet.Contract;

/// <summary>
/// The order of every top, cap and ranking: by the probe's <see cref="Probes.ProbeDefinition.RankedBy"/> column (its
/// first), ties broken by each following column in turn; callers break what is left by key. Values are in the probe's
/// column order; a row shorter than the other counts its missing values as 0.
/// </summary>
public static class BusiestFirst
{
    /// <summary>Negative when <paramref name="a"/> is busier (comes first), positive when <paramref name="b"/> is, 0 when every value ties.</summary>
    public static int Compare(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var width = Math.Max(a.Length, b.Length);
        for (var i = 0; i < width; i++)
        {
            var c = At(b, i).CompareTo(At(a, i));
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>The same order for values held in a list, such as a wire row's.</summary>
    public static int Compare(IReadOnlyList<ulong> a, IReadOnlyList<ulong> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var width = Math.Max(a.Count, b.Count);
        for (var i = 0; i < width; i++)
        {
            var c = At(b, i).CompareTo(At(a, i));
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static ulong At(ReadOnlySpan<ulong> values, int index) => index < values.Length ? values[index] : 0;

    private static ulong At(IReadOnlyList<ulong> values, int index) => index < values.Count ? values[index] : 0;
}
