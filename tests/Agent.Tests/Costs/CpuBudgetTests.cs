using Tracefleet.Agent.Costs;

namespace Tracefleet.Agent.Tests.Costs;

public class CpuBudgetTests
{
    private const double Budget = 2.0;
    private const double Over = 3.4;
    private const double Under = 1.0;

    [Fact]
    public void Observe_UnderBudget_NeverSuspends()
    {
        var budget = new CpuBudget(Budget);

        for (var window = 0; window < 100; window++)
        {
            Assert.False(budget.Observe(window % 2 == 0 ? Under : Budget).Suspend);
        }
    }

    [Fact]
    public void Observe_OverForFewerWindowsThanNeeded_Stays()
    {
        var budget = new CpuBudget(Budget);

        for (var round = 0; round < 10; round++)
        {
            for (var window = 1; window < CpuBudget.DefaultWindowsOver; window++)
            {
                Assert.False(budget.Observe(Over).Suspend);
            }

            // One window under budget starts the count again.
            Assert.False(budget.Observe(Under).Suspend);
            Assert.Equal(0, budget.WindowsOver);
        }
    }

    [Fact]
    public void Observe_OverForEnoughWindows_SuspendsForTheFirstRetryWithTheFiguresInTheReason()
    {
        var budget = new CpuBudget(Budget);
        for (var window = 1; window < CpuBudget.DefaultWindowsOver; window++)
        {
            budget.Observe(Over);
        }

        var verdict = budget.Observe(Over);

        Assert.True(verdict.Suspend);
        Assert.Equal(CpuBudget.FirstRetry, verdict.RetryAfter);
        Assert.Equal("suspended: 3.4% of a core > 2.0% budget", verdict.Reason);
    }

    [Fact]
    public void Observe_SuspendedWindows_ReasonGivesTheirAverage()
    {
        var budget = new CpuBudget(Budget, windowsOver: 2);

        budget.Observe(3.0);
        var verdict = budget.Observe(5.0);

        Assert.Equal("suspended: 4.0% of a core > 2.0% budget", verdict.Reason);
    }

    [Theory]
    [InlineData(3.4, 2.0, "suspended: 3.4% of a core > 2.0% budget")]
    [InlineData(0.8123, 0.01, "suspended: 0.812% of a core > 0.01% budget")]
    [InlineData(150.0, 100.0, "suspended: 150.0% of a core > 100.0% budget")]
    public void Describe_Figures_ReadableWithTheBudgetsOwnPrecision(double cost, double max, string expected) =>
        Assert.Equal(expected, CpuBudget.Describe(cost, max));

    [Fact]
    public void Observe_SuspendedAgainAfterEachRetry_BackoffDoublesUpToTheCap()
    {
        var budget = new CpuBudget(Budget);
        var waits = new List<TimeSpan>();

        for (var suspension = 0; suspension < 8; suspension++)
        {
            waits.Add(SuspendOnce(budget));
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits.Select(w => w.TotalMinutes));
    }

    [Fact]
    public void Observe_GoodRunAfterRetry_ResetsBackoff()
    {
        var budget = new CpuBudget(Budget);
        SuspendOnce(budget);
        SuspendOnce(budget);
        Assert.Equal(TimeSpan.FromMinutes(4), budget.NextRetry);

        for (var window = 0; window < CpuBudget.WindowsToForgive; window++)
        {
            budget.Observe(Under);
        }

        Assert.Equal(CpuBudget.FirstRetry, SuspendOnce(budget));
    }

    [Fact]
    public void Observe_ShortCalmAfterRetry_KeepsBackoff()
    {
        var budget = new CpuBudget(Budget);
        SuspendOnce(budget);

        for (var window = 1; window < CpuBudget.WindowsToForgive; window++)
        {
            budget.Observe(Under);
        }

        Assert.Equal(TimeSpan.FromMinutes(2), SuspendOnce(budget));
    }

    [Fact]
    public void Observe_NoBudget_NeverSuspends()
    {
        var budget = new CpuBudget(0);

        for (var window = 0; window < 10 * CpuBudget.DefaultWindowsOver; window++)
        {
            Assert.False(budget.Observe(400).Suspend);
        }
    }

    [Fact]
    public void Constructor_NoWindows_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuBudget(Budget, windowsOver: 0));

    /// <summary>Drives the budget over until it suspends; returns the wait it chose.</summary>
    private static TimeSpan SuspendOnce(CpuBudget budget)
    {
        for (var window = 1; window <= CpuBudget.DefaultWindowsOver; window++)
        {
            var verdict = budget.Observe(Over);
            if (verdict.Suspend)
            {
                Assert.Equal(CpuBudget.DefaultWindowsOver, window);
                return verdict.RetryAfter;
            }
        }

        Assert.Fail("not suspended after enough windows over budget");
        return TimeSpan.Zero;
    }
}
