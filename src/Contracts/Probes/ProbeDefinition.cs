using System.Text.Json.Serialization;

namespace Tracefleet.Contract.Probes;

/// <summary>
/// A probe: the question it answers and the values its rows carry. On the wire (gRPC) a row's values are in the order of
/// <see cref="Columns"/>; the HTTP API and the hub name each by its column.
/// </summary>
/// <param name="Name">Wire name: <c>pagefaults</c>, <c>kmem</c>.</param>
/// <param name="Title">What it shows, for people: <c>page faults by file</c>.</param>
/// <param name="Key">What a row's key names.</param>
/// <param name="Columns">The values of each row, in wire order; the first is the one tops are sorted by.</param>
/// <param name="Net">The difference of two columns readers show beside them, if any: kmem's allocs − frees.</param>
public sealed record ProbeDefinition(string Name, string Title, KeyColumn Key, IReadOnlyList<ValueColumn> Columns, NetColumn? Net = null)
{
    private readonly string? _topField;

    /// <summary>
    /// The field that carries the probe's busiest key in the fleet summaries of the HTTP API and the hub: <c>top</c> and
    /// the probe's name, capitalised (<c>topSyscalls</c>); the built-in probes keep the names they always had, <c>topFile</c>
    /// and <c>topCache</c>. From the name, not the key's noun, so that two probes keyed alike (by process) never share it.
    /// </summary>
    public string TopField
    {
        get => _topField ?? "top" + char.ToUpperInvariant(Name[0]) + Name[1..];
        init => _topField = value;
    }

    /// <summary>
    /// The field beside <see cref="TopField"/> that carries the busiest key that names something (not one of
    /// <see cref="UnnamedKeys"/>): <c>topFileNamed</c>, <c>topCacheNamed</c>, <c>topSyscallsNamed</c>.
    /// </summary>
    [JsonIgnore]
    public string TopNamedField => TopField + "Named";

    /// <summary>Values per row.</summary>
    [JsonIgnore]
    public int ValueCount => Columns.Count;

    /// <summary>The column tops are sorted by and charts and comparisons show: the first.</summary>
    [JsonIgnore]
    public ValueColumn RankedBy => Columns[0];

    /// <summary>The value of <paramref name="column"/> among <paramref name="values"/> (in wire order); null when this probe has no such column or the row is short.</summary>
    public ulong? ValueOf(IReadOnlyList<ulong> values, ValueColumn column)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i < values.Count ? values[i] : null;
            }
        }

        return null;
    }

    /// <summary>The position in <see cref="Columns"/> of the column whose <see cref="ValueColumn.Name"/> is <paramref name="name"/>, or -1.</summary>
    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when rows of this probe carry <paramref name="column"/>.</summary>
    public bool Has(ValueColumn column) => Columns.Contains(column);

    /// <summary>The wire name: what logs and messages print.</summary>
    public override string ToString() => Name;
}
