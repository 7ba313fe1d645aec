using System.Text.Json.Serialization;

namespace Tracefleet.Agent.Spool;

/// <summary>Source-generated JSON for the state file: reflection-based serialization does not survive NativeAOT publishing.</summary>
[JsonSerializable(typeof(AgentState.Saved))]
internal sealed partial class AgentStateJson : JsonSerializerContext;
