namespace Tracefleet.Contract;

/// <summary>
/// Counts (faults, allocations, frees) are unsigned 64-bit, as on the wire, everywhere they are stored, summed
/// and shown. A sum that would pass <see cref="Saturated"/> stays there instead of wrapping, so a total is
/// never negative and never smaller than any of its parts; <see cref="Saturated"/> reads as "at least this many".
/// </summary>
public static class Counts
{
    /// <summary>18446744073709551615 (<see cref="ulong.MaxValue"/>): a total that reached it is at least that, not exactly that.</summary>
    public const ulong Saturated = ulong.MaxValue;

    /// <summary><paramref name="a"/> + <paramref name="b"/>, or <see cref="Saturated"/> when the exact sum does not fit 64 bits.</summary>
    public static ulong Add(ulong a, ulong b) => a > Saturated - b ? Saturated : a + b;

    /// <summary>True for a total that may stand for more than it says.</summary>
    public static bool IsSaturated(ulong value) => value == Saturated;
}
