using System.Security.Cryptography;
using System.Text;

namespace Tracefleet.Server.Alerts.Notify;

/// <summary>
/// How a webhook with a <c>Secret</c> is signed, the scheme GitHub uses for its webhooks: the request carries
/// <c>X-Tracefleet-Signature: sha256=HEX</c>, where HEX is the lowercase hexadecimal HMAC-SHA256 of the exact body bytes
/// under the secret's UTF-8 bytes. A receiver computes the same over the body it read, before parsing it, and compares
/// the two in constant time; a body re-serialized after parsing does not verify.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Tracefleet-Signature";

    /// <summary>The header's value for <paramref name="body"/>: <c>sha256=</c> and 64 lowercase hex digits.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Whether <paramref name="header"/> is the signature of <paramref name="body"/> under <paramref name="secret"/> (constant time).</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
