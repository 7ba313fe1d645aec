namespace Tracefleet.Contract.Json;

/// <summary>
/// What a converter of a record with one property per value column writes, for documents that describe the JSON (the
/// OpenAPI document): its fixed properties, then one property per column of <see cref="Probes.ProbeCatalogue.AllColumns"/>
/// the record carries, then, when <see cref="TopKeys"/>, one per probe's <see cref="Probes.ProbeDefinition.TopField"/>.
/// </summary>
public interface IColumnRecordJson
{
    /// <summary>The fixed properties by their JSON names (camelCase), each with the .NET type it is written as.</summary>
    IReadOnlyList<KeyValuePair<string, Type>> Fixed { get; }

    /// <summary>Each column's value as a .NET type: <c>ulong</c> (a count), <c>IReadOnlyList&lt;ulong&gt;</c>, <c>IReadOnlyList&lt;ulong?&gt;</c>.</summary>
    Type ColumnType { get; }

    /// <summary>What each column's value is, after the column's own meaning: one of <see cref="Api.ApiDocs"/>.</summary>
    string ColumnDescription { get; }

    /// <summary>True when every column of the catalogue is there (fleet summaries); false when only those of the row's probe are.</summary>
    bool EveryColumn { get; }

    /// <summary>True when the record names each probe's busiest key (a string, or null when the probe has none).</summary>
    bool TopKeys { get; }
}
