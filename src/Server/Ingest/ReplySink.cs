using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Where an ingest session sends its Welcome and Acks, in order, one at a time: the gRPC response stream at the edge, a
/// list in a test. A send that throws ends the session as if the store could not write (the agent resends).
/// </summary>
public delegate Task ReplySink(ServerMessage message, CancellationToken cancellationToken);
