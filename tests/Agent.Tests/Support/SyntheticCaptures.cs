namespace Tracefleet.Agent.Tests.Support;

/// <summary>
/// What the synthesized captures in tests/fixtures/captures must parse to, written out by hand from how
/// they were generated (see the README there), interval by interval, rows sorted by key. Each hostile name is
/// one key, its control characters shown as <c>\xNN</c> by the key rule.
/// </summary>
internal static class SyntheticCaptures
{
    public const string StapPfstat = "synthetic-stap-pfstat.txt";
    public const string DtraceKmemstat = "synthetic-dtrace-kmemstat.txt";

    public static ParsedRow[][] StapPfstatIntervals { get; } =
    [
        FaultRows(
            ("libc.so.6", 4297),
            ("x\\x0a       5     3 ???", 12),
            (" foo", 7),
            ("ünïcödé.so", 3),
            ("bad\\xffname", 2),
            ("two words", 6),
            ("???", 21203)),
        [],
        FaultRows(
            ("y\\x0a  FAULTS   LEN VMFILE", 4),
            ("a\\x0a\\x0ab", 1),
            ("libc.so.6", 8),
            ("trail ", 100),
            ("cr\\x0d       7     3 ???", 3),
            ("crlf\\x0d\\x0az", 2),
            ("???", 12345678901)),
    ];

    // The file's last line looks like a third header but is the end of a cache name.
    public static ParsedRow[][] DtraceKmemstatIntervals { get; } =
    [
        Rows(
            ("kmem_alloc_48", 0, 5),
            ("evil\\x0a       9        9    13 kmem_alloc_48", 3, 1),
            ("cache with spaces", 10, 9),
            (" lead", 7, 2),
            ("ünïcödé_cache", 1, 1),
            ("bad\\xfe\\xc3", 4, 4),
            ("streams_dblk_80", 2811, 2606)),
        Rows(("kmem_alloc_48", 0, 5), ("evil\\x0a  ALLOCS    FREES   LEN SLAB", 1, 0)),
    ];

    private static ParsedRow[] FaultRows(params (string Key, ulong Faults)[] rows) =>
        [.. rows.Select(r => new ParsedRow(r.Key, [r.Faults])).OrderBy(r => r.Key, StringComparer.Ordinal)];

    private static ParsedRow[] Rows(params (string Key, ulong Allocs, ulong Frees)[] rows) =>
        [.. rows.Select(r => new ParsedRow(r.Key, [r.Allocs, r.Frees])).OrderBy(r => r.Key, StringComparer.Ordinal)];
}
