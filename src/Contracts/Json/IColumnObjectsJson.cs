namespace Tracefleet.Contract.Json;

/// <summary>
/// A column record (<see cref="IColumnRecordJson"/>) that also writes objects holding one count per column of the row's
/// probe (a series point's <c>peaks</c> and <c>lows</c>), each optional (left out when not known), for the OpenAPI document.
/// </summary>
public interface IColumnObjectsJson
{
    /// <summary>Each such object's JSON name and what it holds.</summary>
    IReadOnlyList<KeyValuePair<string, string>> ColumnObjects { get; }
}
