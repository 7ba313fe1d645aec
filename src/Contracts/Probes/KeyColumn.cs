namespace Tracefleet.Contract.Probes;

/// <summary>What the rows of a probe are keyed by, as people and the probe's scripts name it.</summary>
/// <param name="Meaning">What a key names: <c>mapped file</c>, <c>kernel memory cache</c>, <c>process name</c>.</param>
/// <param name="Noun">The same in one lowercase word, for short labels such as "top file now": <c>file</c>, <c>cache</c>.</param>
/// <param name="Header">
/// The key column's header as the scripts print it on Linux (<c>VMFILE</c>, <c>SLAB</c>); null: the noun in capitals.
/// </param>
/// <param name="SolarisHeader">The same as the DTrace scripts print it on Solaris and illumos (<c>VNODE</c>); null: as on Linux.</param>
public sealed record KeyColumn(string Meaning, string Noun, string? Header = null, string? SolarisHeader = null)
{
    /// <summary>The key column's header for a host of operating system <paramref name="os"/> (<c>linux</c>, <c>solaris</c>, …).</summary>
    public string HeaderFor(string? os)
    {
        var linux = Header ?? Noun.ToUpperInvariant();
        return os is "solaris" or "illumos" ? SolarisHeader ?? linux : linux;
    }
}
