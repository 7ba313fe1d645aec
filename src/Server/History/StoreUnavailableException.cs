namespace Tracefleet.Server.History;

/// <summary>The store could not write a snapshot now (nothing of it is stored); its agent sends it again later.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
