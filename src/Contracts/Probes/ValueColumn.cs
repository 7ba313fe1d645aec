namespace Tracefleet.Contract.Probes;

/// <summary>One value every row of a probe carries: a count over the row's interval, unsigned 64-bit (see <see cref="Counts"/>).</summary>
/// <param name="Name">Its field in the HTTP API, the live hub and CSV headers: <c>faults</c>, <c>allocs</c>, <c>frees</c>.</param>
/// <param name="Unit">What one counts, plural: <c>faults</c>, <c>allocations</c>, <c>frees</c>.</param>
/// <param name="Meaning">What it counts, as a label starting with a capital: <c>Page faults</c>.</param>
public sealed record ValueColumn(string Name, string Unit, string Meaning);
