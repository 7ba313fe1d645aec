using System.Security.Cryptography.X509Certificates;

namespace Tracefleet.Contract;

/// <summary>Both ends of a TLS ingest connection check the other side's certificate against a private CA the same way.</summary>
public static class CertificateChains
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> (revocation is not checked: a private CA publishes no lists).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
