using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Tracefleet.Agent.Tests.Support;
using Tracefleet.Agent.Uplink;

namespace Tracefleet.Agent.Tests.Uplink;

/// <summary>The options are tried in real TLS handshakes on loopback, so SslStream reports the errors it really would.</summary>
public sealed class ChannelSecurityTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("tracefleet-tls-").FullName;
    private readonly DateTimeOffset _now;
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _otherCa;

    public ChannelSecurityTests()
    {
        // One clock reading for every certificate of a test, so each is nested in its CA's validity.
        _now = DateTimeOffset.UtcNow;
        _ca = TestCertificates.CreateCa("Tracefleet Test CA", _now);
        _otherCa = TestCertificates.CreateCa("Someone Else's CA", _now);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private AgentOptions OptionsWithCa(string server = "https://localhost:5443")
    {
        // Only the certificate, as an operator hands it out: the CA's key never leaves the CA.
        var caFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(caFile, _ca.ExportCertificatePem());
        return new AgentOptions { Server = new Uri(server), Host = "web-01", CaFile = caFile };
    }

    [Fact]
    public void ClientOptions_PlainHttp_Null() =>
        Assert.Null(ChannelSecurity.ClientOptions(new AgentOptions { Server = new Uri("http://localhost:5000"), Host = "web-01" }));

    [Fact]
    public void ClientOptions_HttpsWithoutCa_LeavesVerificationToTheSystem()
    {
        var ssl = ChannelSecurity.ClientOptions(new AgentOptions { Server = new Uri("https://localhost:5443"), Host = "web-01" });

        Assert.NotNull(ssl);
        Assert.Null(ssl.RemoteCertificateValidationCallback);
    }

    [Fact]
    public async Task ClientOptions_WithCa_AcceptsAServerCertificateItSigned()
    {
        using var server = TestCertificates.CreateServer(_ca, "localhost", _now);

        Assert.True(await HandshakeAsync(OptionsWithCa(), server, "localhost"));
    }

    [Fact]
    public async Task ClientOptions_WithCa_RejectsACertificateOfAnotherCa()
    {
        using var server = TestCertificates.CreateServer(_otherCa, "localhost", _now);

        Assert.False(await HandshakeAsync(OptionsWithCa(), server, "localhost"));
    }

    [Fact]
    public async Task ClientOptions_WithCa_RejectsACertificateForAnotherName()
    {
        using var server = TestCertificates.CreateServer(_ca, "ingest.example.org", _now);

        Assert.False(await HandshakeAsync(OptionsWithCa(), server, "localhost"));
    }

    [Fact]
    public void IsSignedBy_NoCertificate_False() =>
        Assert.False(ChannelSecurity.IsSignedBy(null, SslPolicyErrors.RemoteCertificateNotAvailable, _ca));

    /// <summary>True when the client side of a handshake with <paramref name="serverCertificate"/> succeeds.</summary>
    private static async Task<bool> HandshakeAsync(AgentOptions options, X509Certificate2 serverCertificate, string targetHost)
    {
        var client = ChannelSecurity.ClientOptions(options);
        Assert.NotNull(client);
        client.TargetHost = targetHost;

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientSocket = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).WaitAsync(Timeout);
        using var serverSocket = await accepting.WaitAsync(Timeout);

        var serverStream = new SslStream(serverSocket.GetStream());
        var clientStream = new SslStream(clientSocket.GetStream());
        await using (serverStream)
        await using (clientStream)
        {
            var serving = serverStream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate });
            try
            {
                await clientStream.AuthenticateAsClientAsync(client).WaitAsync(Timeout);
                await serving.WaitAsync(Timeout);
                return true;
            }
            catch (AuthenticationException)
            {
                return false;
            }
            finally
            {
                // The server side fails once the client refuses; its error is not what is tested.
                clientSocket.Close();
                await Task.WhenAny(serving, Task.Delay(Timeout));
            }
        }
    }
}
