using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Core.Pms.Resilience;

namespace HotelAgent.Tests.Fakes.Pms;

/// <summary>
/// The QloApps adapter wired to a <see cref="FakeQloAppsServer"/> (demo hotel, USD) with its own index file, health and clock:
/// the shared set-up of the QloApps adapter and conversation tests.
/// </summary>
public sealed class QloAppsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private readonly List<IDisposable> _owned = [];

    private QloAppsHarness(FakeQloAppsServer server) => Server = server;

    public FakeQloAppsServer Server { get; }

    public FakeTimeProvider Time { get; } = new(Now);

    public PmsHealth Health { get; } = new(PmsProvider.QloApps, TimeProvider.System);

    public HotelProfile Profile { get; } = HotelProfile.Load(null);

    public QloAppsPmsClient Client { get; private set; } = null!;

    public static async Task<QloAppsHarness> StartAsync(Action<QloAppsOptions>? configure = null)
    {
        var harness = new QloAppsHarness(await FakeQloAppsServer.StartAsync());
        harness.Client = harness.NewClient(configure);
        return harness;
    }

    public static QloAppsOptions Options(string baseUrl, string apiKey = FakeQloAppsServer.ApiKey) => new()
    {
        BaseUrl = baseUrl,
        ApiKey = apiKey,
        HotelId = FakeQloAppsServer.HotelId,
    };

    /// <summary>Another client on the same fake, index file and health (e.g. with other settings).</summary>
    public QloAppsPmsClient NewClient(Action<QloAppsOptions>? configure = null)
    {
        var options = Options(Server.BaseUrl);
        configure?.Invoke(options);
        var index = new QloAppsBookingIndex(_dir.File("qloapps-index.db"));
        var client = new QloAppsPmsClient(() => _http, options, Profile, index, Time, health: Health);
        _owned.Add(client);
        _owned.Add(index);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _http.Dispose();
        Health.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
