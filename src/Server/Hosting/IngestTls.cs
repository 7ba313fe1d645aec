using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Tracefleet.Contract;

namespace Tracefleet.Server.Hosting;

/// <summary>
/// TLS on the ingest endpoint, from configuration: <c>Ingest:Certificate:Path</c> (PEM with
/// <c>KeyPath</c>, or PFX with <c>Password</c>) and, for mTLS, <c>Ingest:ClientCertificate:Mode</c>
/// (None, Allow, Require) with <c>Ingest:ClientCertificate:CaPath</c>, the CA that signs agents' certificates.
/// </summary>
public static class IngestTls
{
    /// <summary>The HTTPS setup for the ingest listener; null when no certificate is configured.</summary>
    public static Action<ListenOptions>? Configure(IConfiguration configuration)
    {
        var section = configuration.GetSection("Ingest:Certificate");
        if (section["Path"] is not { Length: > 0 } path)
        {
            return null;
        }

        var certificate = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"])
            : X509Certificate2.CreateFromPemFile(path, section["KeyPath"]);
        var clients = configuration.GetSection("Ingest:ClientCertificate");
        var mode = Enum.Parse<ClientCertificateMode>(clients["Mode"] is { Length: > 0 } m ? m switch
        {
            "Require" => nameof(ClientCertificateMode.RequireCertificate),
            "Allow" => nameof(ClientCertificateMode.AllowCertificate),
            "None" => nameof(ClientCertificateMode.NoCertificate),
            _ => m,
        } : nameof(ClientCertificateMode.NoCertificate));
        var ca = clients["CaPath"] is { Length: > 0 } caPath ? X509CertificateLoader.LoadCertificateFromFile(caPath) : null;
        if (mode != ClientCertificateMode.NoCertificate && ca is null)
        {
            throw new InvalidOperationException("Ingest:ClientCertificate:Mode needs Ingest:ClientCertificate:CaPath, the CA that signs the agents' certificates.");
        }

        return listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = mode;
            if (ca is not null)
            {
                https.ClientCertificateValidation = (client, _, _) => CertificateChains.ChainsTo(client, ca);
            }
        });
    }
}
