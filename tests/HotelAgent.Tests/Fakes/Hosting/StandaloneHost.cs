using HotelAgent.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// Starts the real standalone HotelAgent host in-process on a free loopback port (real Kestrel, real SQLite
/// files in a temp data directory), with settings overridden for the test.
/// </summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    public const string AppSecret = "test-app-secret-123";
    public const string VerifyToken = "test-verify-token";
    public const string AccessToken = "test-access-token";
    public const string StaffKey = "test-staff-key";
    public const string PhoneNumberId = "106540352242922";

    private StandaloneHost(WebApplication app, string dataDirectory, bool ownsDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    private readonly bool _ownsDirectory;

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IServiceProvider Services => App.Services;

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <param name="settings">Extra settings as <c>Section:Key</c> → value.</param>
    /// <param name="dataDirectory">Reuse a data directory (restart tests); a new temp folder otherwise.</param>
    /// <param name="configureServices">Service overrides applied after HotelAgent's registrations.</param>
    public static async Task<StandaloneHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "hotelagent-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var values = new Dictionary<string, string?>
        {
            ["HotelAgent:DataDirectory"] = dataDirectory,
            ["WhatsApp:AppSecret"] = AppSecret,
            ["WhatsApp:VerifyToken"] = VerifyToken,
            ["WhatsApp:AccessToken"] = AccessToken,
            ["WhatsApp:PhoneNumberId"] = PhoneNumberId,
            ["Staff:ApiKey"] = StaffKey,
            ["Security:ConversationIdKey"] = TestSecrets.ConversationIdKey,
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("HOTELAGENT_TEST_LOG_LEVEL") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // Settings go in as command-line configuration so registrations that read configuration see them too.
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", "Development", .. values.Select(kv => $"--{kv.Key}={kv.Value}")];
        var app = HotelAgentApp.Build(args, builder => configureServices?.Invoke(builder.Services));
        await app.StartAsync();
        return new StandaloneHost(app, dataDirectory, owns);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
