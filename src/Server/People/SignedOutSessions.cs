namespace Tracefleet.Server.People;

/// <summary>
/// Sessions signed out on this server. A session cookie carries its ticket, so clearing it in the browser does not stop a
/// copy of it from being replayed; each session has an id (the <c>sid</c> claim) and a signed-out id is refused until the
/// cookie would have expired anyway. Held in memory: a restart, or another server behind the same address, does not know
/// it (the README says to replace the key folder to end every session at once). At most <see cref="Capacity"/> ids; past
/// that, the one expiring soonest is forgotten first.
/// </summary>
public sealed class SignedOutSessions(TimeProvider time)
{
    public const string ClaimType = "sid";

    public const int Capacity = 100_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    /// <summary>Refuses session <paramref name="id"/> until <paramref name="until"/>, when its cookie expires.</summary>
    public void Add(string id, DateTimeOffset until)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_until.Count >= Capacity)
            {
                foreach (var expired in _until.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _until.Remove(expired);
                }
            }

            if (_until.Count >= Capacity)
            {
                _until.Remove(_until.MinBy(e => e.Value).Key);
            }

            _until[id] = until;
        }
    }

    /// <summary>True when session <paramref name="id"/> was signed out and its cookie has not expired yet.</summary>
    public bool Contains(string id)
    {
        lock (_gate)
        {
            return _until.TryGetValue(id, out var until) && until > time.GetUtcNow();
        }
    }

}
