using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;

namespace Tracefleet.Server.Tests.Ingest;

public sealed class SnapshotAdmissionTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static LimitsOptions Limits(int maxKeysPerSnapshot = 1000, int maxKeysPerHost = 20_000, int maxKeyLength = 4096) => new()
    {
        MaxClockSkewSeconds = 300,
        MaxSnapshotAgeSeconds = 3600,
        MaxKeysPerSnapshot = maxKeysPerSnapshot,
        MaxKeysPerHost = maxKeysPerHost,
        MaxKeyLength = maxKeyLength,
    };

    private static SnapshotAdmission Admission(LimitsOptions? limits = null)
    {
        var options = Options.Create(limits ?? Limits());
        var time = new FakeTimeProvider(Now);
        return new(options, new HostKeyBudget(options, time), new ClockOffsets(options, time, NullLogger<ClockOffsets>.Instance), time);
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

        var result = Admission().Admit("web-01", snapshot);

        Assert.True(result.Accepted);
        Assert.Equal(SnapshotDigest.Of(original), result.Digest);
        Assert.Equal(original, snapshot);
    }

    [Fact]
    public void Admit_StartsFurtherAheadThanTheSkewAllows_RefusedAloneSayingToCheckTheClock()
    {
        var snapshot = NewSnapshot(Now + TimeSpan.FromHours(1), "libc.so.6");

        var refusal = Admission().Admit("web-01", snapshot).Refusal;

        Assert.Equal(Refusal.ClockAhead, refusal?.Kind);
        Assert.Contains("3600 s ahead of the server's clock", refusal?.Message, StringComparison.Ordinal);
        Assert.Contains("NTP", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AheadWithinTheSkew_Accepted() =>
        Assert.True(Admission().Admit("web-01", NewSnapshot(Now + TimeSpan.FromSeconds(299), "a")).Accepted);

    [Fact]
    public void Admit_OlderThanTheMaximumAge_RefusedWithAReason()
    {
        var refusal = Admission().Admit("web-01", NewSnapshot(Now - TimeSpan.FromSeconds(3601), "libc.so.6")).Refusal;

        Assert.Equal(Refusal.TooOld, refusal?.Kind);
        Assert.Contains("MaxSnapshotAgeSeconds", refusal?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1U << 31, 1000UL, 1_700_000_000_000L)]
    [InlineData(1000U, 1UL << 63, 1_700_000_000_000L)]
    [InlineData(1000U, 5UL, long.MaxValue)]
    public void Admit_FieldOutOfRange_RefusedAloneAsInvalid(uint durationMs, ulong sequence, long start)
    {
        var snapshot = NewSnapshot(Now, "a");
        (snapshot.DurationMs, snapshot.Sequence, snapshot.StartUnixMs) = (durationMs, sequence, start);

        Assert.Equal(Refusal.Invalid, Admission().Admit("web-01", snapshot).Refusal?.Kind);
    }

    [Fact]
    public void Admit_OverTheKeyCap_FoldedIntoOtherAndCounted()
    {
        var admission = Admission(Limits(maxKeysPerSnapshot: 2));
        var snapshot = NewSnapshot(Now, "a", "b", "c", "d");

        Assert.True(admission.Admit("web-01", snapshot).Accepted);

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
        var admission = Admission(Limits(maxKeysPerHost: 2));
        admission.Admit("web-01", NewSnapshot(Now, "a", "b"));

        var snapshot = NewSnapshot(Now, "a", "c");
        admission.Admit("web-01", snapshot);

        Assert.Equal(["a", KeyBudget.Other], snapshot.Rows.Select(r => r.Key));
        Assert.Equal(1, admission.KeysFolded);
    }

    [Fact]
    public void Admit_KeysAgainstTheKeyRule_RepairedNothingLost()
    {
        // An older or foreign agent: a NUL, an escape sequence, a key past the server's limit, and a key sent twice.
        var admission = Admission(Limits(maxKeyLength: 16));
        var snapshot = NewSnapshot(Now, "a\0", "b\u001b[2J", new string('x', 40), "dup", "dup");
        var digest = SnapshotDigest.Of(snapshot);

        var result = admission.Admit("web-01", snapshot);

        Assert.True(result.Accepted);
        Assert.Equal(digest, result.Digest);
        var rows = snapshot.Rows.ToDictionary(r => r.Key, r => r.Values.Single(), StringComparer.Ordinal);
        Assert.Equal(5UL, rows["a\\x00"]);
        Assert.Equal(4UL, rows["b\\x1b[2J"]);
        Assert.Equal(3UL, rows[new string('x', 13) + KeyRule.CutMarker]);
        Assert.Equal(2UL + 1UL, rows["dup"]);
        Assert.Null(SnapshotRules.Check(snapshot, 16));
        Assert.Equal(4, admission.KeysRepaired);
    }

    [Fact]
    public void Admit_DuplicateKeysHuge_SumSaturatesNeverWraps()
    {
        var snapshot = NewSnapshot(Now, "x", "x");
        snapshot.Rows[0].Values[0] = ulong.MaxValue - 1;
        snapshot.Rows[1].Values[0] = 5;

        Admission().Admit("web-01", snapshot);

        Assert.Equal(ulong.MaxValue, Assert.Single(snapshot.Rows).Values[0]);
    }
}
