using Tracefleet.Contract.Live;
using Tracefleet.Contract.Probes;

namespace Tracefleet.Contract.Json;

/// <summary><see cref="LiveRow"/> as <c>{ key, &lt;column&gt;: count, … }</c>.</summary>
public sealed class LiveRowJson : KeyRowJson<LiveRow>
{
    protected override LiveRow Create(string key, Named<ulong> values) => new(key, values);

    protected override string KeyOf(LiveRow row) => row.Key;

    protected override Named<ulong> ValuesOf(LiveRow row) => row.Values;
}
