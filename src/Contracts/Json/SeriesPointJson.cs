using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Json;

/// <summary>
/// <see cref="SeriesPoint"/> as <c>{ t, &lt;column&gt;: count, …, peaks: { &lt;column&gt;: count, … }, lows: { … } }</c>;
/// peaks and lows are left out when not known.
/// </summary>
public sealed class SeriesPointJson : JsonConverter<SeriesPoint>, IColumnRecordJson, IColumnObjectsJson
{
    public IReadOnlyList<KeyValuePair<string, string>> ColumnObjects { get; } =
    [
        KeyValuePair.Create("peaks", "The greatest value a single snapshot (second) of the bucket had, per column; for a host's total over all keys, the greatest total of one snapshot. Left out when not known: a host total over rollups written before they kept snapshot totals."),
        KeyValuePair.Create("lows", "The least value a single snapshot (second) of the bucket had, per column, a snapshot without the key counting 0; for a host's total, the least total of one snapshot. Left out when not known: over rollups written before they kept snapshot totals."),
    ];

    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } = [RecordJson.Field<DateTime>("t")];

    public Type ColumnType => typeof(ulong);

    public string ColumnDescription => ApiDocs.Count;

    public bool EveryColumn => false;

    public bool TopKeys => false;

    public override SeriesPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(SeriesPoint));
        DateTime? t = null;
        Named<ulong>? peaks = null, lows = null;
        var values = new List<KeyValuePair<string, ulong>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "t", options))
            {
                t = reader.GetDateTime();
            }
            else if (RecordJson.Is(name, "peaks", options))
            {
                peaks = RecordJson.ReadNamedCounts(ref reader);
            }
            else if (RecordJson.Is(name, "lows", options))
            {
                lows = RecordJson.ReadNamedCounts(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                RecordJson.Set(values, name, reader.GetUInt64());
            }
            else
            {
                reader.Skip();
            }
        }

        return new(RecordJson.Required(t, "t", typeof(SeriesPoint)), new(values), peaks, lows);
    }

    public override void Write(Utf8JsonWriter writer, SeriesPoint value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("t", value.T);
        RecordJson.WriteCounts(writer, value.Values);
        RecordJson.WriteNamedCounts(writer, "peaks", value.Peaks);
        RecordJson.WriteNamedCounts(writer, "lows", value.Lows);
        writer.WriteEndObject();
    }
}
