using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HotelAgent.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// Starts the real HotelAgent app in-process in custom-handler mode on a free loopback port, and plays the
/// Functions host: <c>GET /</c> readiness and <c>POST /{FunctionName}</c> with the host's invocation JSON.
/// </summary>
public sealed class CustomHandlerHost : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private CustomHandlerHost(WebApplication app, string dataDirectory)
    {
        App = app;
        _dataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<CustomHandlerHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-ch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var values = new Dictionary<string, string?>
        {
            ["HotelAgent:DataDirectory"] = dataDirectory,
            ["WhatsApp:AppSecret"] = StandaloneHost.AppSecret,
            ["WhatsApp:VerifyToken"] = StandaloneHost.VerifyToken,
            ["WhatsApp:AccessToken"] = StandaloneHost.AccessToken,
            ["WhatsApp:PhoneNumberId"] = StandaloneHost.PhoneNumberId,
            ["Staff:ApiKey"] = StandaloneHost.StaffKey,
            ["Security:ConversationIdKey"] = TestSecrets.ConversationIdKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // Under the host the app runs in Production (secrets checked at start), so settings go in as command-line
        // configuration, which is there from the start like app settings.
        string[] args = ["--CustomHandler:Port=0", .. values.Select(kv => $"--{kv.Key}={kv.Value}")];
        var app = HotelAgentApp.Build(args, HostingMode.CustomHandler);
        await app.StartAsync();
        return new CustomHandlerHost(app, dataDirectory);
    }

    /// <summary>Posts an invocation exactly as the host does (chunked JSON, invocation id header).</summary>
    public async Task<(int Status, JsonElement Body)> InvokeAsync(string functionName, object invocation)
    {
        var json = invocation as string ?? JsonSerializer.Serialize(invocation);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + functionName) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }

    /// <summary><c>Metadata.sys</c> as the host always sends it.</summary>
    public static object Sys(string methodName) => new { MethodName = methodName, UtcNow = DateTime.UtcNow.ToString("O"), RandGuid = Guid.NewGuid().ToString() };

    /// <summary>The <c>durableClient</c> binding value (V2, with <c>httpBaseUrl</c>), JSON-encoded as the host does.</summary>
    public static string DurableClientBinding(string httpBaseUrl, string code) => JsonSerializer.Serialize(JsonSerializer.Serialize(new
    {
        taskHubName = "HotelAgentHub",
        connectionName = "Storage",
        creationUrls = new { },
        managementUrls = new { },
        baseUrl = httpBaseUrl,
        requiredQueryStringParameters = "code=" + Uri.EscapeDataString(code),
        rpcBaseUrl = "http://127.0.0.1:4001/durabletask/",
        httpBaseUrl,
        maxGrpcMessageSizeInBytes = 0,
        grpcHttpClientTimeout = "00:01:40",
    }));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
