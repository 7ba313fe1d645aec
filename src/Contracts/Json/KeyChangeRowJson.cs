using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="KeyChangeRow"/> as <c>{ key, change, &lt;column&gt;: [now, then], … }</c>.</summary>
public sealed class KeyChangeRowJson : JsonConverter<KeyChangeRow>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } = [RecordJson.Field<string>("key"), RecordJson.Field<decimal>("change")];

    public Type ColumnType => typeof(IReadOnlyList<ulong?>);

    public string ColumnDescription => ApiDocs.CountNowThen;

    public bool EveryColumn => false;

    public bool TopKeys => false;

    public override KeyChangeRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(KeyChangeRow));
        string? key = null;
        decimal? change = null;
        var values = new List<KeyValuePair<string, IReadOnlyList<ulong?>>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "key", options))
            {
                key = reader.GetString();
            }
            else if (RecordJson.Is(name, "change", options))
            {
                change = reader.GetDecimal();
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                RecordJson.Set(values, name, RecordJson.ReadCountsOrNulls(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }

        return new(RecordJson.Required(key, "key", typeof(KeyChangeRow)), RecordJson.Required(change, "change", typeof(KeyChangeRow)), new(values));
    }

    public override void Write(Utf8JsonWriter writer, KeyChangeRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteNumber("change", value.Change);
        RecordJson.WriteCountLists(writer, value.Values);
        writer.WriteEndObject();
    }
}
