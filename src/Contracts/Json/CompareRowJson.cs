using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="CompareRow"/> as <c>{ key, &lt;column&gt;: [count or null per host], … }</c>.</summary>
public sealed class CompareRowJson : JsonConverter<CompareRow>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } = [RecordJson.Field<string>("key")];

    public Type ColumnType => typeof(IReadOnlyList<ulong?>);

    public string ColumnDescription => ApiDocs.CountPerHost;

    public bool EveryColumn => false;

    public bool TopKeys => false;

    public override CompareRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(CompareRow));
        string? key = null;
        var values = new List<KeyValuePair<string, IReadOnlyList<ulong?>>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "key", options))
            {
                key = reader.GetString();
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

        return new(RecordJson.Required(key, "key", typeof(CompareRow)), new(values));
    }

    public override void Write(Utf8JsonWriter writer, CompareRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        RecordJson.WriteCountLists(writer, value.Values);
        writer.WriteEndObject();
    }
}
