using System.Text.Json;
using Tracefleet.Server.Alerts.Notify;

namespace Tracefleet.Server.Tests.Alerts;

/// <summary>The outcome names on <c>/metrics</c> are the ones <c>GET /api/alerts/deliveries</c> writes.</summary>
public sealed class DeliveryOutcomesTests
{
    [Fact]
    public void NameOf_EveryOutcome_AsTheApiWritesIt()
    {
        foreach (var outcome in Enum.GetValues<DeliveryOutcome>())
        {
            Assert.Equal(JsonSerializer.Serialize(outcome), $"\"{DeliveryOutcomes.NameOf(outcome)}\"");
        }
    }
}
