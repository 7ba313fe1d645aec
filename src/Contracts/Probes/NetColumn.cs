namespace Tracefleet.Contract.Probes;

/// <summary>
/// A value derived from two of a probe's columns, one minus the other, where the second undoes the first: kmem's
/// <c>net</c>, allocations minus frees, what a cache grew by. It is never sent; readers compute it.
/// </summary>
/// <param name="Name">Its name in tables and sort options: <c>net</c>.</param>
/// <param name="Plus">The column counted up: <c>allocs</c>.</param>
/// <param name="Minus">The column counted down: <c>frees</c>.</param>
public sealed record NetColumn(string Name, ValueColumn Plus, ValueColumn Minus);
