using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tracefleet.EndToEnd.Infrastructure;

namespace Tracefleet.EndToEnd.Security;

/// <summary>
/// TLS on the ingest endpoint with client certificates (mTLS), certificates made by a throwaway CA:
/// the agent verifies the server against the CA it is given, presents its own certificate, and a
/// certificate admits the host it names, on its own (the server has tokens for other hosts, and none is sent), and only that host.
/// </summary>
public sealed class IngestTlsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tracefleet-tls-").FullName;
    private ServerProcess _server = null!;

    private string Pem(string name) => Path.Combine(_dir, name);

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Tracefleet Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // One clock reading for every certificate: a certificate may not outlive its issuer, and two readings a second
        // apart made the leaves end a second after the CA.
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        await File.WriteAllTextAsync(Pem("ca.pem"), ca.ExportCertificatePem());

        Issue(ca, now, "localhost", serverAuth: true, "server");
        Issue(ca, now, "alpha", serverAuth: false, "alpha");

        _server = await ServerProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Auth:AgentTokens:gamma"] = "gamma-token-for-tests-only",
                ["Ingest:Certificate:Path"] = Pem("server.pem"),
                ["Ingest:Certificate:KeyPath"] = Pem("server.key"),
                ["Ingest:ClientCertificate:Mode"] = "Require",
                ["Ingest:ClientCertificate:CaPath"] = Pem("ca.pem"),
            },
            tls: true);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Replay_TrustedServerAndOwnClientCertificate_Stored()
    {
        var run = await ReplayAsync("alpha", "--ca", Pem("ca.pem"), "--client-cert", Pem("alpha.pem"), "--client-key", Pem("alpha.key"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotEmpty(await _server.GetAsync<List<PageFaultRowDto>>("/api/hosts/alpha/top?probe=pagefaults"));
    }

    [Fact]
    public async Task Replay_ServerCertificateNotTrusted_FailsWithoutSending()
    {
        // Long enough for the first TLS handshake to fail even on a busy machine, so the agent has a reason to give.
        var run = await ReplayAsync("alpha", "--client-cert", Pem("alpha.pem"), "--client-key", Pem("alpha.key"), "--once-timeout", "15s");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("SSL", run.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Replay_AnotherHostsClientCertificate_PermissionDenied()
    {
        var run = await ReplayAsync("beta", "--ca", Pem("ca.pem"), "--client-cert", Pem("alpha.pem"), "--client-key", Pem("alpha.key"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(PermissionDenied)", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("client certificate is for alpha", run.StandardError, StringComparison.Ordinal);
    }

    private Task<AgentRun.Result> ReplayAsync(string host, params string[] tls) => AgentRun.RunAsync(
        ["--server", _server.IngestUrl.ToString(), "--host", host, "--replay", RepoPaths.Capture("linux-stap-pfstat.txt"), "--speed", "0", "--once", .. tls],
        TimeSpan.FromSeconds(60));

    private void Issue(X509Certificate2 ca, DateTimeOffset now, string name, bool serverAuth, string file)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        if (serverAuth)
        {
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        // The CA's validity exactly: CertificateRequest rounds notAfter down to the second, as the CA's was.
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(Pem(file + ".pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Pem(file + ".key"), key.ExportPkcs8PrivateKeyPem());
    }
}
