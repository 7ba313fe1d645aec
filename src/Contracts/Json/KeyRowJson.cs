using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Json;

/// <summary>A row as <c>{ key, &lt;column&gt;: count, … }</c>: the key, then one count per value column of its probe.</summary>
public abstract class KeyRowJson<TRow> : JsonConverter<TRow>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } = [RecordJson.Field<string>("key")];

    public Type ColumnType => typeof(ulong);

    public string ColumnDescription => ApiDocs.Count;

    public bool EveryColumn => false;

    public bool TopKeys => false;

    public override TRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(TRow));
        string? key = null;
        var values = new List<KeyValuePair<string, ulong>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "key", options))
            {
                key = reader.GetString();
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

        return Create(RecordJson.Required(key, "key", typeof(TRow)), new(values));
    }

    public override void Write(Utf8JsonWriter writer, TRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("key", KeyOf(value));
        RecordJson.WriteCounts(writer, ValuesOf(value));
        writer.WriteEndObject();
    }

    protected abstract TRow Create(string key, Named<ulong> values);

    protected abstract string KeyOf(TRow row);

    protected abstract Named<ulong> ValuesOf(TRow row);
}
