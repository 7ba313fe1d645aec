namespace Tracefleet.Server.History.Entities;

/// <summary>A silence: notices of alerts whose rule, host and key match its globs (null: any) are held back until it ends.</summary>
public sealed class SilenceRecord
{
    public long Id { get; set; }

    public string? Rule { get; set; }

    public string? Host { get; set; }

    public string? Key { get; set; }

    public long EndsAtUnixMs { get; set; }

    public string Comment { get; set; } = "";

    public long CreatedAtUnixMs { get; set; }
}
