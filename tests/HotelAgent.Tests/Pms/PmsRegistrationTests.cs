using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Pms;

public sealed class PmsRegistrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["HotelAgent:DataDirectory"] = _dir.Path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHotelAgentPms(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task Embedded_is_the_default_and_runs_in_process_without_network_timeouts_or_circuit()
    {
        await using var sp = Build([]);

        var pms = sp.GetRequiredService<IPmsClient>();
        var offers = await pms.SearchAvailabilityAsync(new StayQuery(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 11), 2));

        Assert.Equal(PmsLocation.InProcess, Assert.IsType<ResilientPmsClient>(pms).Location);
        Assert.True(sp.GetRequiredService<PmsHealth>().InProcess);
        var check = await new HotelAgent.Core.Health.PmsCheck(sp.GetRequiredService<PmsHealth>()).CheckAsync(CancellationToken.None);
        Assert.True(check.Healthy);
        Assert.Equal("Embedded: in process (no circuit breaker)", check.Detail);
        Assert.NotEmpty(offers);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "pms.db")));
        Assert.Equal(PmsProvider.Embedded, sp.GetRequiredService<PmsHealth>().Provider);
        var reservation = await pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("reg-1"));
        Assert.StartsWith("HPS-", reservation.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QloApps_provider_uses_the_configured_webservice()
    {
        await using var server = await FakeQloAppsServer.StartAsync();
        await using var sp = Build(new()
        {
            ["Pms:Provider"] = "QloApps",
            ["Pms:QloApps:BaseUrl"] = server.BaseUrl,
            ["Pms:QloApps:ApiKey"] = FakeQloAppsServer.ApiKey,
            ["Pms:QloApps:HotelId"] = "1",
            ["Pms:QloApps:RoomTypeMap:4"] = "familiar",
            // A cold Kestrel fake on a busy CI machine can exceed the 1.5 s guest budget on its first answers.
            ["Pms:TimeoutSeconds"] = "10",
            ["Pms:TotalTimeoutSeconds"] = "20",
        });

        var types = await sp.GetRequiredService<IPmsClient>().GetRoomTypesAsync();

        Assert.Contains(types, t => t.Code == "familiar" && t.Name == "Luxury Rooms");
        Assert.Equal(PmsProvider.QloApps, sp.GetRequiredService<PmsHealth>().Provider);
        Assert.Equal(PmsLocation.Remote, sp.GetRequiredService<ResilientPmsClient>().Location);
        Assert.False(sp.GetRequiredService<PmsHealth>().InProcess);

        // Guests hear QloApps' room types, not the hotel profile's.
        var catalogue = sp.GetRequiredService<IRoomCatalogue>();
        Assert.IsType<PmsRoomCatalogue>(catalogue);
        Assert.Equal(["General Rooms", "Delux Rooms", "Executive Rooms", "Luxury Rooms"], catalogue.RoomTypes.Select(r => r.Name));
    }

    [Fact]
    public async Task QloApps_gets_timeouts_that_fit_a_PHP_server_unless_set()
    {
        await using var defaults = Build(new() { ["Pms:Provider"] = "QloApps", ["Pms:QloApps:BaseUrl"] = "http://127.0.0.1:9/", ["Pms:QloApps:ApiKey"] = "K" });
        var qlo = defaults.GetRequiredService<IOptions<PmsOptions>>().Value;
        Assert.Equal(PmsOptions.QloAppsTimeoutSeconds, qlo.TimeoutSeconds);
        Assert.True(qlo.TimeoutSeconds > 0.8 * 3, "a cold PHP server's first call took more than 0.8 s");
        Assert.Equal(PmsOptions.QloAppsTotalTimeoutSeconds, qlo.TotalTimeoutSeconds);
        Assert.Equal(PmsOptions.QloAppsWriteTimeoutSeconds, qlo.WriteTimeoutSeconds);
        Assert.Equal(PmsOptions.QloAppsRetryCount, qlo.RetryCount);

        await using var explicitly = Build(new()
        {
            ["Pms:Provider"] = "QloApps", ["Pms:QloApps:BaseUrl"] = "http://127.0.0.1:9/", ["Pms:QloApps:ApiKey"] = "K",
            ["Pms:TimeoutSeconds"] = "1", ["Pms:TotalTimeoutSeconds"] = "2", ["Pms:RetryCount"] = "0",
        });
        var set = explicitly.GetRequiredService<IOptions<PmsOptions>>().Value;
        Assert.Equal((1d, 2d, 0), (set.TimeoutSeconds, set.TotalTimeoutSeconds, set.RetryCount));
        Assert.Equal(PmsOptions.QloAppsWriteTimeoutSeconds, set.WriteTimeoutSeconds);

        await using var embedded = Build([]);
        var e = embedded.GetRequiredService<IOptions<PmsOptions>>().Value;
        Assert.Equal((0.8, 1.5, 8d, 2), (e.TimeoutSeconds, e.TotalTimeoutSeconds, e.WriteTimeoutSeconds, e.RetryCount));
        Assert.IsType<ProfileRoomCatalogue>(embedded.GetRequiredService<IRoomCatalogue>());
    }

    [Fact]
    public async Task A_QloApps_whose_first_answers_take_over_a_second_is_answered_with_the_defaults()
    {
        await using var server = await FakeQloAppsServer.StartAsync();
        server.Latency = TimeSpan.FromSeconds(1.2);
        await using var sp = Build(new()
        {
            ["Pms:Provider"] = "QloApps",
            ["Pms:QloApps:BaseUrl"] = server.BaseUrl,
            ["Pms:QloApps:ApiKey"] = FakeQloAppsServer.ApiKey,
        });

        var offers = await sp.GetRequiredService<IPmsClient>().SearchAvailabilityAsync(new StayQuery(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2));

        Assert.Equal(4, offers.Count);
        Assert.Equal(PmsProvider.QloApps, sp.GetRequiredService<PmsHealth>().Provider);
        Assert.Null(sp.GetRequiredService<PmsHealth>().LastError);
    }

    [Fact]
    public async Task Invalid_settings_are_rejected()
    {
        await using var sp = Build(new() { ["Pms:RetryCount"] = "99" });

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<PmsOptions>>().Value);
    }

    [Fact]
    public async Task QloApps_without_url_or_key_is_rejected()
    {
        await using var sp = Build(new() { ["Pms:Provider"] = "QloApps", ["Pms:QloApps:BaseUrl"] = "not a url" });

        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<PmsOptions>>().Value);
        Assert.Contains("Pms__QloApps__BaseUrl", e.Message, StringComparison.Ordinal);
    }
}
