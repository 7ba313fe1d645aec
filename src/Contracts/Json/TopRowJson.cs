using Tracefleet.Contract.Api;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="TopRow"/> as <c>{ key, &lt;column&gt;: count, … }</c>.</summary>
public sealed class TopRowJson : KeyRowJson<TopRow>
{
    protected override TopRow Create(string key, Named<ulong> values) => new(key, values);

    protected override string KeyOf(TopRow row) => row.Key;

    protected override Named<ulong> ValuesOf(TopRow row) => row.Values;
}
