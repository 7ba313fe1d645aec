namespace Tracefleet.Server.History.Entities;

/// <summary>A key (file or cache name), stored once and referred to by id from every sample.</summary>
public sealed class KeyRecord
{
    public long Id { get; set; }

    public required string Text { get; set; }
}
