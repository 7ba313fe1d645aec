using Grpc.Core;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>What becomes of one snapshot an agent sent.</summary>
public enum Admission
{
    /// <summary>Store it (possibly with keys folded into "(other)").</summary>
    Accept,

    /// <summary>Never store it; tell the agent to drop it (in the ack).</summary>
    Reject,
}

/// <summary>
/// Applies the limits to a snapshot before it is queued: validation, clock skew and age, the per-snapshot
/// cardinality cap, and the per-host key budget. Malformed input ends the stream with INVALID_ARGUMENT.
/// </summary>
public sealed class SnapshotAdmission(IOptions<LimitsOptions> options, HostKeyBudget keyBudget, TimeProvider time)
{
    private readonly LimitsOptions _limits = options.Value;

    /// <summary>Counts of what the limits did, for logs and metrics.</summary>
    public long KeysFolded => Interlocked.Read(ref _keysFolded);

    private long _keysFolded;

    /// <summary>Decides; throws an <see cref="RpcException"/> for a snapshot that cannot be right.</summary>
    public (Admission Admission, string? Reason) Admit(string host, Snapshot snapshot)
    {
        if (IngestValidator.CheckSnapshot(snapshot, _limits.MaxKeyLength) is { } invalid)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, invalid));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (snapshot.StartUnixMs > now + (_limits.MaxClockSkewSeconds * 1000L))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"snapshot {snapshot.Sequence} starts at {DateTimeOffset.FromUnixTimeMilliseconds(snapshot.StartUnixMs):O}, "
                + $"more than {_limits.MaxClockSkewSeconds} s ahead of the server's clock ({DateTimeOffset.FromUnixTimeMilliseconds(now):O}); check the agent's clock (NTP)"));
        }

        if (snapshot.StartUnixMs < now - (_limits.MaxSnapshotAgeSeconds * 1000L))
        {
            return (Admission.Reject, $"older than {_limits.MaxSnapshotAgeSeconds} s (Limits:MaxSnapshotAgeSeconds)");
        }

        var folded = KeyBudget.Fold(snapshot, _limits.MaxKeysPerSnapshot) + keyBudget.Apply(host, snapshot, _limits.MaxKeysPerHost);
        Interlocked.Add(ref _keysFolded, folded);
        return (Admission.Accept, null);
    }
}
