using System.Globalization;

namespace Tracefleet.Agent.Costs;

/// <summary>
/// Decides, window by window, whether a probe stays or is suspended for costing more CPU than its budget
/// (percent of one core; 0 or less: no budget). Pure: it sees only the figures it is given, so the agent's
/// policy is this class's table of cases. A probe under budget is never touched.
/// </summary>
public sealed class CpuBudget
{
    /// <summary>
    /// Windows over budget in a row before a probe is suspended: at the default 10 s window, half a minute. A probe's
    /// cost follows the load it traces, and one busy moment (a build, a backup) can push a single window over;
    /// half a minute over is a cost the host really pays, and short enough that an expensive probe does not hurt it long.
    /// </summary>
    public const int DefaultWindowsOver = 3;

    /// <summary>
    /// Windows under budget in a row after which a retried probe is forgiven and its next suspension waits
    /// <see cref="FirstRetry"/> again: twice as long as it takes to be suspended, so a probe that is expensive every
    /// other half minute keeps backing off rather than returning every minute.
    /// </summary>
    public const int WindowsToForgive = 2 * DefaultWindowsOver;

    /// <summary>The first wait before a suspended probe is tried again; each suspension in a row doubles it.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait: a probe whose cost depended on a passing load is back within half an hour.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(30);

    private readonly double _maxCpuPercent;
    private readonly int _windowsOver;
    private readonly TimeSpan _firstRetry;
    private readonly TimeSpan _maxRetry;
    private TimeSpan _nextRetry;
    private int _over;
    private double _overSum;
    private int _under;

    /// <summary>A budget of <paramref name="maxCpuPercent"/> of one core; throws <see cref="ArgumentOutOfRangeException"/> for fewer than one window or retries that are not positive.</summary>
    public CpuBudget(double maxCpuPercent, int windowsOver = DefaultWindowsOver, TimeSpan? firstRetry = null, TimeSpan? maxRetry = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowsOver, 1);
        _maxCpuPercent = maxCpuPercent;
        _windowsOver = windowsOver;
        _firstRetry = firstRetry ?? FirstRetry;
        _maxRetry = maxRetry ?? MaxRetry;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_firstRetry, TimeSpan.Zero, nameof(firstRetry));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxRetry, _firstRetry, nameof(maxRetry));
        _nextRetry = _firstRetry;
    }

    public double MaxCpuPercent => _maxCpuPercent;

    /// <summary>Windows over budget in a row that suspend the probe.</summary>
    public int WindowsOverToSuspend => _windowsOver;

    /// <summary>How long the next suspension will last.</summary>
    public TimeSpan NextRetry => _nextRetry;

    /// <summary>Windows over budget in a row so far.</summary>
    public int WindowsOver => _over;

    /// <summary>Takes one window's CPU (percent of one core) and says whether the probe must stop now.</summary>
    public BudgetVerdict Observe(double cpuPercent)
    {
        if (_maxCpuPercent <= 0 || cpuPercent <= _maxCpuPercent)
        {
            _over = 0;
            _overSum = 0;
            if (++_under >= WindowsToForgive)
            {
                _nextRetry = _firstRetry;
            }

            return BudgetVerdict.Keep;
        }

        _under = 0;
        _over++;
        _overSum += cpuPercent;
        if (_over < _windowsOver)
        {
            return BudgetVerdict.Keep;
        }

        var average = _overSum / _over;
        var retryAfter = _nextRetry;
        _nextRetry = TimeSpan.FromTicks(Math.Min(_nextRetry.Ticks * 2, _maxRetry.Ticks));
        _over = 0;
        _overSum = 0;
        return new BudgetVerdict(true, retryAfter, Describe(average, _maxCpuPercent));
    }

    /// <summary>How a suspension reads in the probe's last error: <c>suspended: 3.4% of a core &gt; 2.0% budget</c>.</summary>
    public static string Describe(double cpuPercent, double maxCpuPercent) =>
        string.Create(CultureInfo.InvariantCulture, $"suspended: {cpuPercent:0.0##}% of a core > {maxCpuPercent:0.0##}% budget");
}

/// <summary>A <see cref="CpuBudget"/>'s answer for one window: stop the probe for <see cref="RetryAfter"/>, and why.</summary>
public readonly record struct BudgetVerdict(bool Suspend, TimeSpan RetryAfter, string Reason)
{
    public static BudgetVerdict Keep { get; } = new(false, TimeSpan.Zero, "");
}
