using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="FleetTopRow"/> as <c>{ key, &lt;column&gt;: count, …, hosts }</c>.</summary>
public sealed class FleetTopRowJson : JsonConverter<FleetTopRow>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } = [RecordJson.Field<string>("key"), RecordJson.Field<int>("hosts")];

    public Type ColumnType => typeof(ulong);

    public string ColumnDescription => ApiDocs.Count;

    public bool EveryColumn => false;

    public bool TopKeys => false;

    public override FleetTopRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(FleetTopRow));
        string? key = null;
        var hosts = 0;
        var values = new List<KeyValuePair<string, ulong>>();
        while (RecordJson.NextProperty(ref reader, out var name))
        {
            if (RecordJson.Is(name, "key", options))
            {
                key = reader.GetString();
            }
            else if (RecordJson.Is(name, "hosts", options))
            {
                hosts = reader.GetInt32();
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

        return new(RecordJson.Required(key, "key", typeof(FleetTopRow)), new(values), hosts);
    }

    public override void Write(Utf8JsonWriter writer, FleetTopRow value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        RecordJson.WriteCounts(writer, value.Values);
        writer.WriteNumber("hosts", value.Hosts);
        writer.WriteEndObject();
    }
}
