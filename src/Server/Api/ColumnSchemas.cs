using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tracefleet.Contract;
using Tracefleet.Contract.Json;

namespace Tracefleet.Server.Api;

/// <summary>
/// The records that name a property after each value column (and each probe's busiest key) are written by converters the
/// OpenAPI generator cannot see into: this describes them from the converter's fixed properties and the catalogue, so a new
/// probe's columns appear in the document with no edit here. Fixed properties are required; a column is optional where
/// only rows of its probe carry it, and so is an object of columns (<see cref="IColumnObjectsJson"/>).
/// </summary>
internal static class ColumnSchemas
{
    /// <summary>
    /// The generator leaves a list of such records without items and calls no transformer for them: each list gets the
    /// record's schema as its items, and the document a component of it under the record's name.
    /// </summary>
    public static async Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Converter is IColumnRecordJson)
        {
            await DescribeRecordAsync(schema, context, cancellationToken).ConfigureAwait(false);
        }
        else if (schema.Items is null && context.JsonTypeInfo.ElementType is { } itemType
            && context.JsonTypeInfo.Options.GetTypeInfo(itemType).Converter is IColumnRecordJson && context.Document is { } document)
        {
            if (document.Components?.Schemas?.ContainsKey(itemType.Name) != true)
            {
                document.AddComponent(itemType.Name, await context.GetOrCreateSchemaAsync(itemType, null, cancellationToken).ConfigureAwait(false));
            }

            schema.Items = new OpenApiSchemaReference(itemType.Name, document);
        }
    }

    private static async Task DescribeRecordAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var shape = (IColumnRecordJson)context.JsonTypeInfo.Converter;
        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, type) in shape.Fixed)
        {
            properties[name] = await context.GetOrCreateSchemaAsync(type, null, cancellationToken).ConfigureAwait(false);
            required.Add(name);
        }

        foreach (var column in ProbeCatalogue.AllColumns.Distinct())
        {
            var value = await context.GetOrCreateSchemaAsync(shape.ColumnType, null, cancellationToken).ConfigureAwait(false);
            var probes = string.Join(", ", ProbeCatalogue.All.Where(p => p.Has(column)).Select(p => p.Name));
            value.Description = $"{column.Meaning} ({probes}). {shape.ColumnDescription}";
            properties[column.Name] = value;
            if (shape.EveryColumn)
            {
                required.Add(column.Name);
            }
        }

        if (shape is IColumnObjectsJson objects)
        {
            foreach (var (name, description) in objects.ColumnObjects)
            {
                var columns = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
                foreach (var column in ProbeCatalogue.AllColumns.Distinct())
                {
                    var value = await context.GetOrCreateSchemaAsync(shape.ColumnType, null, cancellationToken).ConfigureAwait(false);
                    value.Description = $"{column.Meaning} ({string.Join(", ", ProbeCatalogue.All.Where(p => p.Has(column)).Select(p => p.Name))}).";
                    columns[column.Name] = value;
                }

                properties[name] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = description, Properties = columns };
            }
        }

        if (shape.TopKeys)
        {
            foreach (var probe in ProbeCatalogue.All)
            {
                properties[probe.TopField] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Description = $"The busiest {probe.Key.Meaning} of the host's latest {probe.Name} snapshots (by {probe.RankedBy.Name}); null when it has none.",
                };
                required.Add(probe.TopField);
                properties[probe.TopNamedField] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Description = $"The busiest {probe.Key.Meaning} of the same snapshot that names one: not {string.Join(", ", UnnamedKeys.All)}. "
                        + $"The same as {probe.TopField} when that names one; null when none does.",
                };
                required.Add(probe.TopNamedField);
            }
        }

        schema.Type = JsonSchemaType.Object;
        schema.Properties = properties;
        schema.Required = required;
    }
}
