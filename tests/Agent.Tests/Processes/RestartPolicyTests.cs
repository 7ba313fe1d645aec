using Tracefleet.Agent.Processes;

namespace Tracefleet.Agent.Tests.Processes;

public class RestartPolicyTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ShortRun = TimeSpan.FromSeconds(2);

    /// <summary>A <see cref="Random"/> whose NextDouble is fixed, to pin the jitter to an end of its range.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    private static void AssertWithinJitter(double nominalMs, TimeSpan actual) =>
        Assert.InRange(actual.TotalMilliseconds, nominalMs * 0.8 - 0.001, nominalMs * 1.2 + 0.001);

    [Fact]
    public void NextDelay_ConsecutiveShortRuns_DoublesWithinTwentyPercent()
    {
        var policy = new RestartPolicy(Initial, Max, new Random(42));

        for (var attempt = 0; attempt < 6; attempt++)
        {
            AssertWithinJitter(1000 * Math.Pow(2, attempt), policy.NextDelay(ShortRun));
        }

        Assert.Equal(6, policy.ConsecutiveFailures);
    }

    [Theory]
    [InlineData(0.0, 800)]
    [InlineData(0.5, 1000)]
    [InlineData(0.999999, 1200)]
    public void NextDelay_JitterEnds_EightyToHundredTwentyPercent(double random, double expectedMs)
    {
        var policy = new RestartPolicy(Initial, Max, new FixedRandom(random));

        Assert.Equal(expectedMs, policy.NextDelay(ShortRun).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void NextDelay_ManyFailures_CappedAtMax()
    {
        var policy = new RestartPolicy(Initial, Max, new Random(7));

        var delays = Enumerable.Range(0, 40).Select(_ => policy.NextDelay(ShortRun)).ToList();

        Assert.All(delays, d => Assert.True(d.TotalMilliseconds <= Max.TotalMilliseconds * 1.2 + 0.001, d.ToString()));
        Assert.All(delays.Skip(10), d => AssertWithinJitter(Max.TotalMilliseconds, d));
    }

    [Fact]
    public void NextDelay_AfterAHealthyRun_StartsOverFromInitial()
    {
        var policy = new RestartPolicy(Initial, Max, new Random(1));
        for (var i = 0; i < 5; i++)
        {
            policy.NextDelay(ShortRun);
        }

        var delay = policy.NextDelay(RestartPolicy.HealthyRun);

        AssertWithinJitter(Initial.TotalMilliseconds, delay);
        Assert.Equal(1, policy.ConsecutiveFailures);
    }

    [Fact]
    public void NextDelay_SameSeed_SameDelays()
    {
        var a = new RestartPolicy(Initial, Max, new Random(99));
        var b = new RestartPolicy(Initial, Max, new Random(99));

        Assert.Equal(
            Enumerable.Range(0, 5).Select(_ => a.NextDelay(ShortRun)).ToList(),
            Enumerable.Range(0, 5).Select(_ => b.NextDelay(ShortRun)).ToList());
    }
}
