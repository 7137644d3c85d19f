using System.Diagnostics.Metrics;
using HotelAgent.Core.Observability;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Observability;

public sealed class MeteredPmsClientTests
{
    [Fact]
    public async Task Every_pms_call_is_measured_with_its_operation_and_outcome()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new HotelAgentMetrics(services.GetRequiredService<IMeterFactory>());
        using var health = new PmsHealth(PmsProvider.Embedded, TimeProvider.System);
        var scripted = new ScriptedPmsClient();
        using var client = new MeteredPmsClient(scripted, metrics, health);
        var recorded = new List<(string Operation, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == HotelAgentMetrics.PmsLatency && ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            recorded.Add((map["operation"]!, map["outcome"]!));
        });
        listener.Start();
        var stay = new StayQuery(new DateOnly(2027, 1, 10), new DateOnly(2027, 1, 12), 2, null);

        await client.SearchAvailabilityAsync(stay);
        scripted.Behaviour = PmsBehaviour.ServerError;
        await Assert.ThrowsAnyAsync<Exception>(() => client.SearchAvailabilityAsync(stay));

        Assert.Equal(("search_availability", "ok"), recorded[0]);
        Assert.Equal("search_availability", recorded[1].Operation);
        Assert.NotEqual("ok", recorded[1].Outcome);
    }
}
