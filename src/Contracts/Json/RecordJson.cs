using System.Text.Json;
using System.Text.Json.Serialization;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Json;

/// <summary>
/// What the converters of the records with one property per value column share. They read any property that is not one of
/// theirs by its JSON type (a count, a list of counts, a string or null for a busiest key), so a column or probe they were
/// not built with still comes through; anything else is skipped.
/// </summary>
internal static class RecordJson
{
    /// <summary>Throws unless the reader is at the start of an object.</summary>
    public static void ExpectObject(ref Utf8JsonReader reader, Type record)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a {record.Name} is a JSON object, not {reader.TokenType}");
        }
    }

    /// <summary>Moves to the next property's value and gives its name; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = "";
            return false;
        }

        name = reader.GetString() ?? "";
        reader.Read();
        return true;
    }

    /// <summary>True when <paramref name="name"/> is the fixed property <paramref name="field"/>, ignoring case if the options do.</summary>
    public static bool Is(string name, string field, JsonSerializerOptions options) =>
        string.Equals(name, field, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>True when the options leave null properties out (the hub's); otherwise they are written as null.</summary>
    public static bool LeavesOutNulls(JsonSerializerOptions options) =>
        options.DefaultIgnoreCondition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;

    public static T Required<T>(T? value, string field, Type record)
        where T : class =>
        value ?? throw new JsonException($"a {record.Name} needs \"{field}\"");

    public static T Required<T>(T? value, string field, Type record)
        where T : struct =>
        value ?? throw new JsonException($"a {record.Name} needs \"{field}\"");

    /// <summary>Adds or replaces (the last of a repeated property counts, as for any other property).</summary>
    public static void Set<T>(List<KeyValuePair<string, T>> values, string name, T value)
    {
        values.RemoveAll(v => string.Equals(v.Key, name, StringComparison.Ordinal));
        values.Add(KeyValuePair.Create(name, value));
    }

    /// <summary>A list of counts, the reader at its start.</summary>
    public static List<ulong> ReadCounts(ref Utf8JsonReader reader)
    {
        var counts = new List<ulong>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            counts.Add(reader.TokenType == JsonTokenType.Number ? reader.GetUInt64() : throw new JsonException($"a count is a number, not {reader.TokenType}"));
        }

        return counts;
    }

    /// <summary>A list of names (strings), the reader at its start.</summary>
    public static List<string> ReadNames(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"a list of names is a JSON array, not {reader.TokenType}");
        }

        var names = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            names.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"a name is a string, not {reader.TokenType}"));
        }

        return names;
    }

    /// <summary>A list of counts or nulls, the reader at its start.</summary>
    public static List<ulong?> ReadCountsOrNulls(ref Utf8JsonReader reader)
    {
        var counts = new List<ulong?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            counts.Add(reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetUInt64(),
                JsonTokenType.Null => null,
                _ => throw new JsonException($"a count is a number or null, not {reader.TokenType}"),
            });
        }

        return counts;
    }

    /// <summary>An object of counts by column (<c>{ faults: 3 }</c>), or null; the reader at its start.</summary>
    public static Named<ulong>? ReadNamedCounts(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(ref reader, typeof(Named<ulong>));
        var values = new List<KeyValuePair<string, ulong>>();
        while (NextProperty(ref reader, out var name))
        {
            Set(values, name, reader.TokenType == JsonTokenType.Number ? reader.GetUInt64() : throw new JsonException($"a count is a number, not {reader.TokenType}"));
        }

        return new(values);
    }

    /// <summary><paramref name="values"/> as an object of counts named <paramref name="name"/>; nothing when null (not known).</summary>
    public static void WriteNamedCounts(Utf8JsonWriter writer, string name, Named<ulong>? values)
    {
        if (values is not null)
        {
            writer.WriteStartObject(name);
            WriteCounts(writer, values);
            writer.WriteEndObject();
        }
    }

    public static void WriteCounts(Utf8JsonWriter writer, Named<ulong> values)
    {
        foreach (var (name, value) in values)
        {
            writer.WriteNumber(name, value);
        }
    }

    public static void WriteCountLists(Utf8JsonWriter writer, Named<IReadOnlyList<ulong>> values)
    {
        foreach (var (name, list) in values)
        {
            writer.WriteStartArray(name);
            foreach (var value in list)
            {
                writer.WriteNumberValue(value);
            }

            writer.WriteEndArray();
        }
    }

    public static void WriteCountLists(Utf8JsonWriter writer, Named<IReadOnlyList<ulong?>> values)
    {
        foreach (var (name, list) in values)
        {
            writer.WriteStartArray(name);
            foreach (var value in list)
            {
                if (value is { } count)
                {
                    writer.WriteNumberValue(count);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>Each busiest key; one that is null is written as null unless <paramref name="leaveOutNulls"/>.</summary>
    public static void WriteTopKeys(Utf8JsonWriter writer, Named<string?> topKeys, bool leaveOutNulls)
    {
        foreach (var (name, key) in topKeys)
        {
            WriteNullable(writer, name, key, leaveOutNulls);
        }
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value, bool leaveOutNulls)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
        else if (!leaveOutNulls)
        {
            writer.WriteNull(name);
        }
    }

    public static KeyValuePair<string, Type> Field<T>(string name) => KeyValuePair.Create(name, typeof(T));
}
