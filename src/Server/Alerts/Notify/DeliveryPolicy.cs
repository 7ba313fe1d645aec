using System.Net;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// How hard one POST is tried: up to <see cref="MaxAttempts"/> attempts, each cut off after <see cref="AttemptTimeout"/>,
/// pausing <see cref="FirstRetryDelay"/> after the first failure and twice as long after each next one (1, 2, 4, 8 s).
/// </summary>
public sealed record DeliveryPolicy(int MaxAttempts, TimeSpan FirstRetryDelay, TimeSpan AttemptTimeout)
{
    /// <summary>5 attempts, 1 s doubling pauses, 10 s an attempt: a dead receiver costs its own queue at most about 65 s a notice.</summary>
    public static DeliveryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>The pause after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt) => FirstRetryDelay * Math.Pow(2, attempt - 1);

    /// <summary>
    /// Whether an answer that is not 2xx is worth another attempt: a 5xx (the receiver is failing, maybe briefly) or
    /// 429 (it asks to slow down). Any other 4xx says the request itself is wrong and would be refused again.
    /// </summary>
    public static bool IsRetried(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;
}
