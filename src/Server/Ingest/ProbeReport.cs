using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// What the server knows of one probe of one host: its agent's last status, and the last cost measured with the Unix
/// milliseconds (UTC) of the status that carried it (a later status without a cost, such as a state change, keeps it).
/// </summary>
public sealed record ProbeReport(ProbeStatus Status, ProbeCost? Cost, long CostAtUnixMs)
{
    /// <summary>When a suspended probe is next tried, Unix milliseconds (UTC); null when it is not suspended or its agent did not say.</summary>
    public long? RetryAtUnixMs => Status.State == ProbeState.Suspended.WireName() && Status.RetryAtUnixMs > 0 ? Status.RetryAtUnixMs : null;
}
