using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tracefleet.Agent.Tests.Support;

/// <summary>
/// A throwaway CA and server certificates it signs, made in memory for TLS tests. Validity is counted from one clock
/// reading the test passes to both: a CA valid [now − 1 d, now + 30 d] and a server certificate [now − 1 h, now + 7 d],
/// nested in its CA's however long the test takes between the two (a certificate may not outlive its issuer).
/// </summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateCa(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    /// <summary>A server certificate for <paramref name="dnsName"/>, with its private key, signed by <paramref name="ca"/>.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 ca, string dnsName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(ca, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        return certificate.CopyWithPrivateKey(key);
    }
}
