using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="SeriesPoint"/> as <c>{ t, &lt;column&gt;: count, … }</c>.</summary>
public sealed class SeriesPointJson : JsonConverter<SeriesPoint>, IColumnRecordJson
{
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
        var values = new List<KeyValuePair<string, ulong>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "t", options))
            {
                t = reader.GetDateTime();
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

        return new(RecordJson.Required(t, "t", typeof(SeriesPoint)), new(values));
    }

    public override void Write(Utf8JsonWriter writer, SeriesPoint value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("t", value.T);
        RecordJson.WriteCounts(writer, value.Values);
        writer.WriteEndObject();
    }
}
