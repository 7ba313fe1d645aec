using System.Security.Cryptography;
using System.Text;

namespace Tracefleet.Server.Ingest;

/// <summary>Agent tokens: made random, configured as a SHA-256 digest, compared in constant time.</summary>
public static class AgentTokens
{
    public const string DigestPrefix = "sha256:";

    /// <summary>A new token: 32 random bytes, URL-safe base64 (no padding), easy to paste into a shell.</summary>
    public static string Create() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The form to put in configuration: <c>sha256:</c> and the token's digest in hex.</summary>
    public static string Digest(string token) => DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// True when <paramref name="token"/> matches a configured entry: a token or digest, or several
    /// separated by commas (old and new side by side while a token is rotated).
    /// </summary>
    public static bool Matches(string configured, string token) => Matches(configured, PresentedDigest(token));

    /// <summary>A presented token's digest as <see cref="Matches(string, ReadOnlySpan{byte})"/> compares it, computed once for many entries.</summary>
    public static byte[] PresentedDigest(string token) => Encoding.ASCII.GetBytes(Digest(token));

    /// <summary>True when the token whose <see cref="PresentedDigest"/> is <paramref name="presented"/> matches a configured entry.</summary>
    public static bool Matches(string configured, ReadOnlySpan<byte> presented)
    {
        foreach (var expected in ExpectedDigests(configured))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), presented))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The digests (<c>sha256:</c> and lowercase hex) a configured entry admits: one per comma-separated token or digest.</summary>
    public static IEnumerable<string> ExpectedDigests(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(one => one.StartsWith(DigestPrefix, StringComparison.OrdinalIgnoreCase) ? one.ToLowerInvariant() : Digest(one));
    }

    /// <summary>True when a configured entry holds a token or key itself rather than only <c>sha256:</c> digests.</summary>
    public static bool HoldsPlainText(string? configured) =>
        configured is not null
        && configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(one => !one.StartsWith(DigestPrefix, StringComparison.OrdinalIgnoreCase));
}
