namespace Tracefleet.Web.Services;

/// <summary>The last <c>capacity</c> values of a live number (a sparkline's data), oldest first.</summary>
public sealed class RollingSeries(int capacity)
{
    private readonly Queue<ulong> _values = new(capacity);

    public void Add(ulong value)
    {
        _values.Enqueue(value);
        while (_values.Count > capacity)
        {
            _values.Dequeue();
        }
    }

    public void AddRange(IEnumerable<ulong> values)
    {
        foreach (var value in values)
        {
            Add(value);
        }
    }

    public ulong Last => _values.Count == 0 ? 0 : _values.Last();

    public IReadOnlyList<ulong> Values => [.. _values];
}
