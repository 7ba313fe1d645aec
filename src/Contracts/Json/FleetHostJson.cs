using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Api;
using Tracefleet.Contract.Live;

namespace Tracefleet.Contract.Json;

/// <summary>
/// <see cref="FleetHost"/> as <c>{ name, online, reporting, lastSnapshot, &lt;column&gt;: total, …, &lt;topField&gt;: key, … }</c>;
/// a null lastSnapshot or busiest key is left out where the options leave nulls out (the hub's).
/// </summary>
public sealed class FleetHostJson : JsonConverter<FleetHost>, IColumnRecordJson
{
    public IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; } =
        [RecordJson.Field<string>("name"), RecordJson.Field<bool>("online"), RecordJson.Field<bool>("reporting"), RecordJson.Field<DateTime?>("lastSnapshot")];

    public Type ColumnType => typeof(ulong);

    public string ColumnDescription => ApiDocs.Count;

    public bool EveryColumn => true;

    public bool TopKeys => true;

    public override FleetHost Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RecordJson.ExpectObject(ref reader, typeof(FleetHost));
        string? name = null;
        bool online = false, reporting = false;
        DateTime? lastSnapshot = null;
        var totals = new List<KeyValuePair<string, ulong>>();
        var topKeys = new List<KeyValuePair<string, string?>>();
        while (RecordJson.NextProperty(ref reader, out var property))
        {
            if (RecordJson.Is(property, "name", options))
            {
                name = reader.GetString();
            }
            else if (RecordJson.Is(property, "online", options))
            {
                online = reader.GetBoolean();
            }
            else if (RecordJson.Is(property, "reporting", options))
            {
                reporting = reader.GetBoolean();
            }
            else if (RecordJson.Is(property, "lastSnapshot", options))
            {
                lastSnapshot = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTime();
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                RecordJson.Set(totals, property, reader.GetUInt64());
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

        return new(RecordJson.Required(name, "name", typeof(FleetHost)), online, reporting, lastSnapshot, new(totals), new(topKeys));
    }

    public override void Write(Utf8JsonWriter writer, FleetHost value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        var leaveOutNulls = RecordJson.LeavesOutNulls(options);
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteBoolean("online", value.Online);
        writer.WriteBoolean("reporting", value.Reporting);
        if (value.LastSnapshot is { } at)
        {
            writer.WriteString("lastSnapshot", at);
        }
        else if (!leaveOutNulls)
        {
            writer.WriteNull("lastSnapshot");
        }

        RecordJson.WriteCounts(writer, value.Totals);
        RecordJson.WriteTopKeys(writer, value.TopKeys, leaveOutNulls);
        writer.WriteEndObject();
    }
}
