using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tracefleet.Contract;

namespace Tracefleet.Agent.Uplink;

/// <summary>
/// TLS for an https:// server: the server's certificate is verified (against the system's CAs, or the
/// CA in <c>--ca</c>) unless <c>--insecure</c>; a client certificate is presented for mTLS when given.
/// </summary>
public static class ChannelSecurity
{
    public static SslClientAuthenticationOptions? ClientOptions(AgentOptions options)
    {
        if (options.Server.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var ssl = new SslClientAuthenticationOptions();
        if (options.Insecure)
        {
            // The operator asked for it (--insecure, logged at start); trials with self-signed certificates only.
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.CaFile is { } caFile)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsSignedBy(certificate, errors, ca);
        }

        if (options.ClientCertFile is { } certFile)
        {
            var certificate = X509Certificate2.CreateFromPemFile(certFile, options.ClientKeyFile);
            ssl.ClientCertificates = [certificate];
        }

        return ssl;
    }

    /// <summary>True when the certificate chains to <paramref name="ca"/> and names the host we asked for.</summary>
    public static bool IsSignedBy(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        return CertificateChains.ChainsTo(leaf, ca);
    }
}
