using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;
using Tracefleet.Server.Ingest;
using Tracefleet.TestSupport;

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
            snapshot.Keys.Add(keys[i]);
            snapshot.Values.Add((ulong)(keys.Length - i));
        }

        return snapshot;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Admit_Current_AcceptedUnchangedInTheColumnarForm(bool rowForm)
    {
        var columnar = NewSnapshot(Now - TimeSpan.FromSeconds(2), "libc.so.6", "ld.so");
        var snapshot = WireForms.As(columnar.Clone(), rowForm);

        var result = Admission().Admit("web-01", snapshot);

        Assert.True(result.Accepted);
        Assert.Equal(SnapshotDigest.Of(columnar), result.Digest);
        Assert.Equal(columnar, snapshot);
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

    [Theory]
    [InlineData(1, "2 keys of pagefaults take 2 values (1 a key), not 1")]
    [InlineData(3, "2 keys of pagefaults take 2 values (1 a key), not 3")]
    public void Admit_ColumnarValuesNotKeysTimesColumns_RefusedAloneAsInvalid(int values, string expected)
    {
        var admission = Admission();
        var snapshot = NewSnapshot(Now, "a", "b");
        snapshot.Values.Clear();
        snapshot.Values.Add(Enumerable.Repeat(7UL, values));

        var refusal = admission.Admit("web-01", snapshot).Refusal;

        Assert.Equal(Refusal.Invalid, refusal?.Kind);
        Assert.Contains(expected, refusal?.Message, StringComparison.Ordinal);
        Assert.True(admission.Admit("web-01", NewSnapshot(Now, "a", "b")).Accepted);
    }

    [Fact]
    public void Admit_RowsAndKeysBoth_RefusedAloneAsInvalid()
    {
        var snapshot = NewSnapshot(Now, "a");
        snapshot.Rows.Add(new Row { Key = "b", Values = { 1 } });

        var refusal = Admission().Admit("web-01", snapshot).Refusal;

        Assert.Equal(Refusal.Invalid, refusal?.Kind);
        Assert.Contains("carries both rows and keys/values", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_RowFormRowOfAnotherWidth_RefusedAloneAsInvalid()
    {
        var snapshot = WireForms.As(NewSnapshot(Now, "a", "b"), rowForm: true);
        snapshot.Rows[1].Values.Add(3);

        Assert.Equal(Refusal.Invalid, Admission().Admit("web-01", snapshot).Refusal?.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Admit_OverTheKeyCap_FoldedIntoOtherAndCounted(bool rowForm)
    {
        var admission = Admission(Limits(maxKeysPerSnapshot: 2));
        var snapshot = WireForms.As(NewSnapshot(Now, "a", "b", "c", "d"), rowForm);

        Assert.True(admission.Admit("web-01", snapshot).Accepted);

        var rows = WireForms.ByKey(snapshot).ToDictionary(r => r.Key, r => r.Value.Single(), StringComparer.Ordinal);
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

        Assert.Equal(["a", KeyBudget.Other], snapshot.Keys);
        Assert.Equal(1, admission.KeysFolded);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Admit_KeysAgainstTheKeyRule_RepairedNothingLost(bool rowForm)
    {
        // An older or foreign agent: a NUL, an escape sequence, a key past the server's limit, and a key sent twice.
        var admission = Admission(Limits(maxKeyLength: 16));
        var columnar = NewSnapshot(Now, "a\0", "b\u001b[2J", new string('x', 40), "dup", "dup");
        var digest = SnapshotDigest.Of(columnar);
        var snapshot = WireForms.As(columnar, rowForm);

        var result = admission.Admit("web-01", snapshot);

        Assert.True(result.Accepted);
        Assert.Equal(digest, result.Digest);
        var rows = WireForms.ByKey(snapshot).ToDictionary(r => r.Key, r => r.Value.Single(), StringComparer.Ordinal);
        Assert.Equal(5UL, rows["a\\x00"]);
        Assert.Equal(4UL, rows["b\\x1b[2J"]);
        Assert.Equal(3UL, rows[new string('x', 13) + KeyRule.CutMarker]);
        Assert.Equal(2UL + 1UL, rows["dup"]);
        Assert.Null(SnapshotRules.Check(snapshot, 16));
        Assert.Equal(4, admission.KeysRepaired);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Admit_EmptyKey_AcceptedCountedAsRepairedAlikeInEitherForm(bool rowForm)
    {
        var admission = Admission();
        var columnar = NewSnapshot(Now, "a", "");
        var snapshot = WireForms.As(columnar.Clone(), rowForm);

        var result = admission.Admit("web-01", snapshot);

        Assert.True(result.Accepted);
        Assert.Equal(SnapshotDigest.Of(columnar), result.Digest);
        Assert.Equal([("a", 2UL), (KeyRule.Normalize("", 4096), 1UL)], WireForms.Table(snapshot).Select(r => (r.Key, r.Values.Single())));
        Assert.Equal(1, admission.KeysRepaired);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Admit_DuplicateKeysHuge_SumSaturatesNeverWraps(bool rowForm)
    {
        var columnar = NewSnapshot(Now, "x", "x");
        columnar.Values[0] = ulong.MaxValue - 1;
        columnar.Values[1] = 5;
        var snapshot = WireForms.As(columnar, rowForm);

        Admission().Admit("web-01", snapshot);

        Assert.Equal(("x", ulong.MaxValue), (Assert.Single(snapshot.Keys), Assert.Single(snapshot.Values)));
    }
}
