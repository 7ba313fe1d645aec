using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class SnapshotAdmissionTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SnapshotAdmission Admission(int maxKeysPerSnapshot = 1000, int maxKeysPerHost = 20_000)
    {
        var limits = Options.Create(new LimitsOptions
        {
            MaxClockSkewSeconds = 300,
            MaxSnapshotAgeSeconds = 3600,
            MaxKeysPerSnapshot = maxKeysPerSnapshot,
            MaxKeysPerHost = maxKeysPerHost,
        });
        var time = new FakeTimeProvider(Now);
        return new(limits, new HostKeyBudget(limits, time), time);
    }

    private static Snapshot NewSnapshot(DateTimeOffset start, params string[] keys)
    {
        var snapshot = new Snapshot { Sequence = 9, Probe = "pagefaults", StartUnixMs = start.ToUnixTimeMilliseconds(), DurationMs = 1000 };
        for (var i = 0; i < keys.Length; i++)
        {
            snapshot.Rows.Add(new Row { Key = keys[i], Values = { (ulong)(keys.Length - i) } });
        }

        return snapshot;
    }

    [Fact]
    public void Admit_Current_AcceptedUnchanged()
    {
        var snapshot = NewSnapshot(Now - TimeSpan.FromSeconds(2), "libc.so.6", "ld.so");
        var original = snapshot.Clone();

        Assert.Equal((Tracefleet.Server.Ingest.Admission.Accept, null), Admission().Admit("web-01", snapshot));
        Assert.Equal(original, snapshot);
    }

    [Fact]
    public void Admit_StartsFurtherAheadThanTheSkewAllows_InvalidArgumentAboutTheClock()
    {
        var snapshot = NewSnapshot(Now + TimeSpan.FromSeconds(301), "libc.so.6");

        var refused = Assert.Throws<RpcException>(() => Admission().Admit("web-01", snapshot));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("clock", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AheadWithinTheSkew_Accepted() =>
        Assert.Equal(Tracefleet.Server.Ingest.Admission.Accept, Admission().Admit("web-01", NewSnapshot(Now + TimeSpan.FromSeconds(299), "a")).Admission);

    [Fact]
    public void Admit_OlderThanTheMaximumAge_RejectedWithAReason()
    {
        var (admission, reason) = Admission().Admit("web-01", NewSnapshot(Now - TimeSpan.FromSeconds(3601), "libc.so.6"));

        Assert.Equal(Tracefleet.Server.Ingest.Admission.Reject, admission);
        Assert.Contains("MaxSnapshotAgeSeconds", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_OverTheKeyCap_FoldedIntoOtherAndCounted()
    {
        var admission = Admission(maxKeysPerSnapshot: 2);
        var snapshot = NewSnapshot(Now, "a", "b", "c", "d");

        Assert.Equal(Tracefleet.Server.Ingest.Admission.Accept, admission.Admit("web-01", snapshot).Admission);

        var rows = snapshot.Rows.ToDictionary(r => r.Key, r => r.Values.Single(), StringComparer.Ordinal);
        Assert.Equal(3, rows.Count);
        Assert.Equal(4UL, rows["a"]);
        Assert.Equal(3UL, rows["b"]);
        Assert.Equal(3UL, rows[KeyBudget.Other]);
        Assert.Equal(2, admission.KeysFolded);
    }

    [Fact]
    public void Admit_OverTheHostBudget_NewKeysFolded()
    {
        var admission = Admission(maxKeysPerHost: 2);
        admission.Admit("web-01", NewSnapshot(Now, "a", "b"));

        var snapshot = NewSnapshot(Now, "a", "c");
        admission.Admit("web-01", snapshot);

        Assert.Equal(["a", KeyBudget.Other], snapshot.Rows.Select(r => r.Key));
        Assert.Equal(1, admission.KeysFolded);
    }

    [Fact]
    public void Admit_DuplicateKey_InvalidArgument()
    {
        var refused = Assert.Throws<RpcException>(() => Admission().Admit("web-01", NewSnapshot(Now, "libc.so.6", "libc.so.6")));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("twice", refused.Status.Detail, StringComparison.Ordinal);
    }
}
