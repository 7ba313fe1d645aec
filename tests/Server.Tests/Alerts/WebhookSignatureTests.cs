using System.Security.Cryptography;
using System.Text;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>The signature a receiver checks: HMAC-SHA256 of the exact body under the secret, as GitHub's webhooks sign.</summary>
public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_PayloadBody_EqualsAnIndependentlyComputedHmac()
    {
        var body = WebhookPayload.From(Notices.Firing(), "pager", null).ToUtf8Json();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("s3cret-ü"));
        var expected = "sha256=" + string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        var signature = WebhookSignature.Sign("s3cret-ü", body);

        Assert.Equal(expected, signature);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
    }

    [Fact]
    public void Verify_BodyChangedByOneByteOrOtherSecret_Refused()
    {
        var body = Encoding.UTF8.GetBytes("""{"version":"4"}""");
        var signature = WebhookSignature.Sign("s3cret", body);
        var changed = Encoding.UTF8.GetBytes("""{"version":"5"}""");

        Assert.True(WebhookSignature.Verify("s3cret", body, signature));
        Assert.False(WebhookSignature.Verify("s3cret", changed, signature));
        Assert.False(WebhookSignature.Verify("other", body, signature));
        Assert.False(WebhookSignature.Verify("s3cret", body, null));
    }

    [Fact]
    public async Task PostFor_WithASecret_RequestCarriesTheBodysSignatureAndWithoutNone()
    {
        using var handler = new ScriptedHandler();
        var signed = new WebhookReceiver(new WebhookReceiverOptions { Name = "signed", Url = "http://127.0.0.1:1/hook", Secret = "s3cret" }, null, handler.Lane("signed"));
        var plain = new WebhookReceiver(new WebhookReceiverOptions { Name = "plain", Url = "http://127.0.0.1:1/hook" }, null, handler.Lane("plain"));

        using var signedRequest = signed.PostFor(Notices.Firing()).Request();
        using var plainRequest = plain.PostFor(Notices.Firing()).Request();

        var body = await signedRequest.Content!.ReadAsByteArrayAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Matches("^sha256=[0-9a-f]{64}$", Assert.Single(signedRequest.Headers.GetValues(WebhookSignature.Header)));
        Assert.Equal("application/json", signedRequest.Content.Headers.ContentType?.MediaType);
        Assert.False(plainRequest.Headers.Contains(WebhookSignature.Header));
    }
}
