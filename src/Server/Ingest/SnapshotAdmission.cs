using System.Globalization;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>What admission decided for one snapshot: accepted with its digest, or refused with the reason.</summary>
public readonly record struct AdmissionResult(Refusal? Refusal, long Digest)
{
    public bool Accepted => Refusal is null;
}

/// <summary>
/// Applies the limits to a snapshot before it is queued: its fields' ranges (so that no snapshot can fail a write batch),
/// clock skew and age, the key rule, the per-snapshot cardinality cap and the per-host key budget. Whatever is wrong with
/// one snapshot refuses that snapshot alone; the agent's stream goes on.
/// </summary>
public sealed class SnapshotAdmission(IOptions<LimitsOptions> options, HostKeyBudget keyBudget, ClockOffsets clocks, TimeProvider time)
{
    private readonly LimitsOptions _limits = options.Value;
    private long _keysFolded;
    private long _keysRepaired;

    /// <summary>Keys summed into "(other)" by the limits since start, for logs and metrics.</summary>
    public long KeysFolded => Interlocked.Read(ref _keysFolded);

    /// <summary>Rows whose key was rewritten to obey the key rule, or merged into an equal key, since start.</summary>
    public long KeysRepaired => Interlocked.Read(ref _keysRepaired);

    /// <summary>Decides for one snapshot of <paramref name="host"/>; with <paramref name="measureClock"/> its end also measures the agent's clock.</summary>
    public AdmissionResult Admit(string host, Snapshot snapshot, bool measureClock = true)
    {
        if (SnapshotRules.CheckFields(snapshot) is { } invalid)
        {
            return Refuse(Refusal.Invalid, invalid);
        }

        // From here on the server works on the columnar form only; an older agent's rows are moved into it once.
        SnapshotColumns.FromRows(snapshot);

        if (measureClock)
        {
            // Before the skew check: a snapshot refused for its clock measures that clock best.
            clocks.Observe(host, snapshot.StartUnixMs + snapshot.DurationMs);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (snapshot.StartUnixMs > now + (_limits.MaxClockSkewSeconds * 1000L))
        {
            return Refuse(Refusal.ClockAhead,
                $"snapshot {snapshot.Sequence} starts at {Time(snapshot.StartUnixMs)}, {(snapshot.StartUnixMs - now) / 1000} s ahead of the server's clock "
                + $"({Time(now)}; at most {_limits.MaxClockSkewSeconds} s, Limits:MaxClockSkewSeconds): check the agent's clock (NTP)");
        }

        if (snapshot.StartUnixMs < now - (_limits.MaxSnapshotAgeSeconds * 1000L))
        {
            return Refuse(Refusal.TooOld, $"snapshot {snapshot.Sequence} is older than {_limits.MaxSnapshotAgeSeconds} s (Limits:MaxSnapshotAgeSeconds)");
        }

        // The digest is of the table as sent, before anything here changes it: a resend must digest the same, in either form.
        var digest = SnapshotDigest.Of(snapshot);
        Interlocked.Add(ref _keysRepaired, KeyRepair.Apply(snapshot, _limits.MaxKeyLength));
        var folded = KeyBudget.Fold(snapshot, _limits.MaxKeysPerSnapshot) + keyBudget.Apply(host, snapshot, _limits.MaxKeysPerHost);
        Interlocked.Add(ref _keysFolded, folded);
        return new AdmissionResult(null, digest);
    }

    private static AdmissionResult Refuse(string kind, string message) => new(new Refusal(kind, message), 0);

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("O", CultureInfo.InvariantCulture);
}
