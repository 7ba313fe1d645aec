using Microsoft.EntityFrameworkCore;
using Tracefleet.Server.Alerts.Rules;
using Tracefleet.Server.History;
using Tracefleet.Server.History.Entities;

namespace Tracefleet.Server.Alerts;

/// <summary>
/// The silences in force, held in memory for the evaluator (which asks on ingest's path) and kept in the store.
/// A silence matches an alert when each of its globs it sets (rule, host, key) matches; it ends at its expiry.
/// </summary>
public sealed class Silences(IServiceScopeFactory scopes, TimeProvider time)
{
    private volatile Compiled[] _active = [];

    /// <summary>Silences in force when the store was last read (at start and after each change); some may have ended since.</summary>
    public int Count => _active.Length;

    /// <summary>True when a silence in force now matches the alert.</summary>
    public bool Matches(string rule, string host, string key)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var silence in _active)
        {
            if (silence.EndsAtUnixMs > now
                && (silence.Rule?.IsMatch(rule) ?? true)
                && (silence.Host?.IsMatch(host) ?? true)
                && (silence.Key?.IsMatch(key) ?? true))
            {
                return true;
            }
        }

        return false;
    }

    public async Task<IReadOnlyList<SilenceRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Silences.AsNoTracking().Where(s => s.EndsAtUnixMs > now).OrderBy(s => s.EndsAtUnixMs).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SilenceRecord> AddAsync(SilenceRecord silence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silence);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            db.Silences.Add(silence);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return silence;
    }

    /// <summary>Ends a silence now; false when there is none with that id.</summary>
    public async Task<bool> RemoveAsync(long id, CancellationToken cancellationToken)
    {
        int removed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
            removed = await db.Silences.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <summary>Reads the silences in force from the store (at start, and after each change).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var silences = await ListAsync(cancellationToken).ConfigureAwait(false);
        _active = [.. silences.Select(s => new Compiled(GlobOf(s.Rule), GlobOf(s.Host), GlobOf(s.Key), s.EndsAtUnixMs))];
    }

    /// <summary>Forgets silences that ended before <paramref name="beforeUnixMs"/>.</summary>
    public async Task TrimAsync(long beforeUnixMs, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TracefleetDb>();
        await db.Silences.Where(s => s.EndsAtUnixMs < beforeUnixMs).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Glob? GlobOf(string? text) => text is null ? null : Glob.Parse(text, out _);

    private sealed record Compiled(Glob? Rule, Glob? Host, Glob? Key, long EndsAtUnixMs);
}
