using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;

namespace Tracefleet.Contract.Json;

/// <summary>
/// <see cref="FleetSummaryHost"/> as <c>{ name, os, backend, online, reporting, lastSeen, probes: [name, …],
/// &lt;column&gt;: [count per second], …, &lt;topField&gt;: key or null, &lt;topNamedField&gt;: key or null, … }</c>.
/// </summary>
public sealed class FleetSummaryHostJson : JsonConverter<FleetSummaryHost>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } =
    [
        RecordJson.Field<string>("name"), RecordJson.Field<string>("os"), RecordJson.Field<string>("backend"), RecordJson.Field<bool>("online"),
        RecordJson.Field<bool>("reporting"), RecordJson.Field<DateTime>("lastSeen"), RecordJson.Field<IReadOnlyList<string>>("probes"),
    ];

    public Type ColumnType => typeof(IReadOnlyList<ulong>);

    public string ColumnDescription => ApiDocs.CountPerSecond;

    public bool EveryColumn => true;

    public bool TopKeys => true;

    public override FleetSummaryHost Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(FleetSummaryHost));
        string? name = null, os = null, backend = null;
        bool online = false, reporting = false;
        DateTime? lastSeen = null;
        List<string>? probes = null;
        var perSecond = new List<KeyValuePair<string, IReadOnlyList<ulong>>>();
        var topKeys = new List<KeyValuePair<string, string?>>();
        while (RecordJson.NextProperty(ref reader, out var property))
        {
            if (RecordJson.Is(property, "name", options))
            {
                name = reader.GetString();
            }
            else if (RecordJson.Is(property, "os", options))
            {
                os = reader.GetString();
            }
            else if (RecordJson.Is(property, "backend", options))
            {
                backend = reader.GetString();
            }
            else if (RecordJson.Is(property, "online", options))
            {
                online = reader.GetBoolean();
            }
            else if (RecordJson.Is(property, "reporting", options))
            {
                reporting = reader.GetBoolean();
            }
            else if (RecordJson.Is(property, "lastSeen", options))
            {
                lastSeen = reader.GetDateTime();
            }
            else if (RecordJson.Is(property, "probes", options))
            {
                probes = RecordJson.ReadNames(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                RecordJson.Set(perSecond, property, RecordJson.ReadCounts(ref reader));
            }
            else if (reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
            {
                RecordJson.Set(topKeys, property, reader.GetString());
            }
            else
            {
                reader.Skip();
            }
        }

        var type = typeof(FleetSummaryHost);
        return new(
            RecordJson.Required(name, "name", type), RecordJson.Required(os, "os", type), RecordJson.Required(backend, "backend", type), online, reporting,
            RecordJson.Required(lastSeen, "lastSeen", type), RecordJson.Required(probes, "probes", type), new(perSecond), new(topKeys));
    }

    public override void Write(Utf8JsonWriter writer, FleetSummaryHost value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteString("os", value.Os);
        writer.WriteString("backend", value.Backend);
        writer.WriteBoolean("online", value.Online);
        writer.WriteBoolean("reporting", value.Reporting);
        writer.WriteString("lastSeen", value.LastSeen);
        writer.WriteStartArray("probes");
        foreach (var probe in value.Probes)
        {
            writer.WriteStringValue(probe);
        }

        writer.WriteEndArray();
        RecordJson.WriteCountLists(writer, value.PerSecond);
        RecordJson.WriteTopKeys(writer, value.TopKeys, RecordJson.LeavesOutNulls(options));
        writer.WriteEndObject();
    }
}
