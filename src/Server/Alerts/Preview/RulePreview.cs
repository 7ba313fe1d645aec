using Microsoft.Extensions.Options;
using Tracefleet.Server.Alerts.Evaluation;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;
using Tracefleet.Server.History.Queries;
using Tracefleet.Server.History.Tiers;

namespace Tracefleet.Server.Alerts.Preview;

/// <summary>
/// Evaluates a rule over stored history with the same evaluator live data goes through, so a preview over per-second
/// history gives the firings live evaluation gave. The range is read at the finest tier that still holds all of it
/// (raw seconds inside <c>History:RawRetention</c>, then minutes, then hours), each step one sample; no notices, no
/// silences, and no <c>no_data</c> (gaps in history are not a host falling silent now).
/// </summary>
public sealed class RulePreview(HistoryQueries queries, IOptions<HistoryOptions> history, TimeProvider time)
{
    /// <summary>At most this many (host, step, key) values are read for one preview.</summary>
    public const int MaxValues = 4_000_000;

    public async Task<PreviewResult> RunAsync(CompiledRule rule, long fromUnixMs, long toUnixMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var options = history.Value;
        // A minute of slack: "the last 24 hours" asked a moment ago is still inside a 24-hour raw retention.
        var (stepMs, resolution) = fromUnixMs >= now - (long)options.RawRetention.TotalMilliseconds - Tiers.MinuteMs ? (1_000L, "1s")
            : fromUnixMs >= now - (long)options.MinuteRetention.TotalMilliseconds ? (Tiers.MinuteMs, "1m")
            : (Tiers.HourMs, "1h");

        // Steps aligned to the tier's buckets, so each step is one bucket and never a part of two.
        var from = fromUnixMs - (((fromUnixMs % stepMs) + stepMs) % stepMs);
        var hosts = (await queries.HostsAsync(cancellationToken).ConfigureAwait(false))
            .Where(h => rule.Hosts?.IsMatch(h.Name) ?? true)
            .ToDictionary(h => h.Id, h => h.Name);
        var values = new StepValues(MaxValues);
        Dictionary<long, string> keyNames = [];
        if (hosts.Count > 0 && from < toUnixMs)
        {
            keyNames = await queries.ReadAsync(
                async reader =>
                {
                    await reader.ScanAsync(hosts.Keys, Probe.Of(rule.Probe), from, toUnixMs, stepMs, values, cancellationToken).ConfigureAwait(false);
                    return values.Overflowed ? [] : await reader.KeyNamesAsync(values.KeyIds, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }

        if (values.Overflowed)
        {
            return new PreviewResult(resolution, 0, [])
            {
                Problem = $"the range holds more than {MaxValues:N0} values at {resolution} resolution for the hosts the rule matches; narrow the range or the rule's hosts",
            };
        }

        var found = new FiringCollector();
        var evaluator = new AlertEvaluator(found, int.MaxValue);
        evaluator.SetRules([rule], from);
        long samples = 0;
        foreach (var ((hostId, bucket), keys) in values.InOrder())
        {
            var names = new List<string>(keys.Count);
            var sums = new List<ulong>(keys.Count * rule.Probe.ValueCount);
            foreach (var (keyId, keySums) in keys)
            {
                names.Add(keyNames.GetValueOrDefault(keyId, ""));
                sums.AddRange(keySums);
            }

            evaluator.Evaluate(hosts[hostId], rule.Probe.Name, from + (bucket * stepMs), stepMs, names, sums, late: false, now);
            found.Sample(evaluator, rule.Name, hosts[hostId]);
            samples++;
        }

        var firings = found.Firings();
        return new PreviewResult(resolution, samples, [.. firings.Take(PreviewResult.MaxFirings)]) { Truncated = firings.Count > PreviewResult.MaxFirings };
    }

    /// <summary>Every (host, step, key) value of the scan, bounded; the keys' sums per step.</summary>
    private sealed class StepValues(int max) : ScanSink
    {
        private readonly Dictionary<(long Host, long Bucket), Dictionary<long, ulong[]>> _steps = [];
        private int _count;

        public bool Overflowed { get; private set; }

        public IReadOnlyCollection<long> KeyIds => [.. _steps.Values.SelectMany(k => k.Keys).Distinct()];

        public override void Add(long hostId, long bucket, long keyId, ReadOnlySpan<ulong> values)
        {
            if (Overflowed)
            {
                return;
            }

            if (!_steps.TryGetValue((hostId, bucket), out var keys))
            {
                _steps[(hostId, bucket)] = keys = [];
            }

            if (!keys.TryGetValue(keyId, out var sums))
            {
                if (++_count > max)
                {
                    Overflowed = true;
                    return;
                }

                keys[keyId] = sums = new ulong[values.Length];
            }

            for (var i = 0; i < values.Length && i < sums.Length; i++)
            {
                sums[i] = Contract.Counts.Add(sums[i], values[i]);
            }
        }

        public IEnumerable<KeyValuePair<(long Host, long Bucket), Dictionary<long, ulong[]>>> InOrder() =>
            _steps.OrderBy(s => s.Key.Host).ThenBy(s => s.Key.Bucket);
    }

    /// <summary>Turns the evaluator's transitions into firings, with each one's peak: the highest rate (window mean) it fired at.</summary>
    private sealed class FiringCollector : IAlertOutput
    {
        private readonly List<PreviewFiring> _done = [];
        private readonly Dictionary<(string Host, string Key), (long Start, double Peak)> _open = [];

        /// <summary>Raises the peak of the host's open firings by the rates just evaluated.</summary>
        public void Sample(AlertEvaluator evaluator, string rule, string host)
        {
            foreach (var ((openHost, key), open) in _open.Where(o => o.Key.Host == host).ToList())
            {
                if (evaluator.ValueOf(rule, openHost, key) is { } rate && rate > open.Peak)
                {
                    _open[(openHost, key)] = open with { Peak = rate };
                }
            }
        }

        public void Transitioned(AlertTransition transition)
        {
            var id = (transition.Host, transition.Key);
            if (transition.To == AlertState.Firing)
            {
                _open[id] = (transition.AtUnixMs, transition.Value);
            }
            else if (transition.To == AlertState.Resolved && _open.Remove(id, out var open))
            {
                _done.Add(new PreviewFiring(transition.Host, transition.Key, Time(open.Start), Time(transition.AtUnixMs), open.Peak));
            }
        }

        // A preview tells nobody and keeps nothing: it only reports.
        public void Notify(AlertNotice notice)
        {
        }

        public void Persist(AlertSeriesState state)
        {
        }

        public IReadOnlyList<PreviewFiring> Firings() =>
            [.. _done.Concat(_open.Select(o => new PreviewFiring(o.Key.Host, o.Key.Key, Time(o.Value.Start), null, o.Value.Peak)))
                .OrderBy(f => f.StartsAt).ThenBy(f => f.Host, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)];

        private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
    }
}
