using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tracefleet.Contract;
using Tracefleet.Contract.V1;

namespace Tracefleet.Server.Ingest;

/// <summary>
/// Distinct keys stored under their own names per host and probe, at most <c>Limits:MaxKeysPerHost</c>: a host that
/// invents a key every second (a temp-file storm, containers' overlay paths) cannot grow the key table without bound.
/// The budget keeps the busiest keys of late and forgets keys unseen for <c>Limits:KeyIdleSeconds</c>; when it is full a
/// new key takes the least busy one's place if it is busier, and is summed into "(other)" otherwise, so totals stay
/// exact (how activity is measured: <see cref="ProbeKeyBudget"/>). Memory: at most MaxKeysPerHost entries (about 64 bytes
/// each) per host and probe; a host that goes quiet keeps only its fold counts once its keys idle out.
/// </summary>
public sealed class HostKeyBudget(IOptions<LimitsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Host, string Probe), ProbeKeyBudget> _budgets = new();
    private readonly double _idleSeconds = options.Value.KeyIdleSeconds;
    private double _nextSweep = double.NegativeInfinity;

    /// <summary>
    /// Folds the keys of <paramref name="snapshot"/> that are outside <paramref name="host"/>'s budget for its probe into
    /// "(other)" (merging an "(other)" row already there); returns how many keys were folded.
    /// </summary>
    public int Apply(string host, Snapshot snapshot, int maxKeys)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var now = Now();
        SweepQuietBudgets(now);
        var budget = _budgets.GetOrAdd((host, snapshot.Probe), static _ => new ProbeKeyBudget());
        List<int>? folded;
        lock (budget)
        {
            folded = budget.Admit(snapshot, maxKeys, now, _idleSeconds);
        }

        if (folded is null)
        {
            return 0;
        }

        KeyBudget.FoldIntoOther(snapshot, folded);
        return folded.Count;
    }

    /// <summary>The budget of one host's probe now; all zero for one that never sent a snapshot since the server started.</summary>
    public KeyBudgetUsage Usage(string host, string probe) =>
        _budgets.TryGetValue((host, probe), out var budget) ? UsageOf(budget, Now()) : default;

    /// <summary>Every host's and probe's budget, for metrics.</summary>
    public IReadOnlyList<(string Host, string Probe, KeyBudgetUsage Usage)> All()
    {
        var now = Now();
        return [.. _budgets.Select(b => (b.Key.Host, b.Key.Probe, UsageOf(b.Value, now)))];
    }

    private KeyBudgetUsage UsageOf(ProbeKeyBudget budget, double now)
    {
        lock (budget)
        {
            // Idle keys are counted out even while no snapshot arrives to sweep them.
            if (now >= budget.NextSweep)
            {
                budget.Sweep(now, _idleSeconds);
            }

            return new KeyBudgetUsage(budget.Count, budget.Folds.LastHour(now), budget.Folds.Total);
        }
    }

    /// <summary>A budget sweeps its idle keys when its host sends; this sweeps those of hosts that stopped sending.</summary>
    private void SweepQuietBudgets(double now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + Math.Min(60, _idleSeconds / 4), due) != due)
        {
            return;
        }

        foreach (var budget in _budgets.Values)
        {
            lock (budget)
            {
                if (now >= budget.NextSweep)
                {
                    budget.Sweep(now, _idleSeconds);
                }
            }
        }
    }

    /// <summary>Seconds on a clock that only goes forward (a wall-clock step must not age or rejuvenate keys).</summary>
    private double Now() => time.GetTimestamp() / (double)time.TimestampFrequency;
}

/// <summary>
/// One host's probe budget: <see cref="Tracked"/> keys stored under their own names now; keys folded into "(other)" in the
/// last hour (exact to 5 minutes) and since the server started, counted once per key and snapshot.
/// </summary>
public readonly record struct KeyBudgetUsage(int Tracked, long FoldedLastHour, long Folded);
