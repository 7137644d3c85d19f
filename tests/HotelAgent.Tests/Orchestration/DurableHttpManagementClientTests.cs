using System.Text.Json;
using System.Text.Json.Nodes;
using HotelAgent.Core.Orchestration;
using HotelAgent.Tests.Fakes.Orchestration;

namespace HotelAgent.Tests.Orchestration;

public sealed class DurableHttpManagementClientTests : IAsyncLifetime
{
    private FakeDurableManagementApi _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeDurableManagementApi.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    private string BindingJson() => JsonSerializer.Serialize(new
    {
        taskHubName = "HotelAgentHub",
        connectionName = "Storage",
        rpcBaseUrl = "http://127.0.0.1:4001/",
        requiredQueryStringParameters = "code=" + Uri.EscapeDataString(FakeDurableManagementApi.Code),
        httpBaseUrl = _api.BaseUrl,
    });

    private DurableHttpManagementClient Client() => new(_http, DurableClientBinding.Parse(BindingJson()));

    [Fact]
    public void Binding_parses_plain_and_double_encoded_json_and_falls_back_to_website_hostname()
    {
        var json = BindingJson();
        var twice = JsonSerializer.Serialize(json);
        Assert.Equal(DurableClientBinding.Parse(json), DurableClientBinding.Parse(twice));
        Assert.Equal("HotelAgentHub", DurableClientBinding.Parse(twice).TaskHubName);

        var noHttp = DurableClientBinding.Parse("{\"taskHubName\":\"h\",\"rpcBaseUrl\":\"http://127.0.0.1:4001/\"}");
        Assert.Equal(new Uri("http://myapp.azurewebsites.net/runtime/webhooks/durabletask/"), noHttp.ResolveBaseUri("myapp.azurewebsites.net"));
        Assert.Throws<InvalidOperationException>(() => noHttp.ResolveBaseUri(null));
    }

    [Fact]
    public async Task Start_or_raise_starts_then_raises_and_later_only_raises()
    {
        var client = Client();
        Assert.Equal(StartOrRaiseOutcome.Started, await client.StartOrRaiseAsync("Conversation", "wa:346", "message", "{\"text\":\"hola\"}", "{\"channel\":\"wa\"}"));
        Assert.Equal(StartOrRaiseOutcome.Raised, await client.StartOrRaiseAsync("Conversation", "wa:346", "message", "{\"text\":\"otra\"}", "{\"channel\":\"wa\"}"));

        var instance = _api.Instances["wa:346"];
        Assert.Equal("Conversation", instance.Name);
        Assert.Equal("{\"channel\":\"wa\"}", instance.Input!.ToJsonString());
        Assert.Equal([("message", "{\"text\":\"hola\"}"), ("message", "{\"text\":\"otra\"}")], instance.Events);
        Assert.All(_api.RequestLog, r => Assert.Contains("taskHub=HotelAgentHub", r, StringComparison.Ordinal));
        Assert.Contains(_api.RequestLog, r => r.StartsWith("POST /runtime/webhooks/durabletask/orchestrators/Conversation/wa:346", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_terminate_raise_after_finish_and_purge_follow_the_api_codes()
    {
        var client = Client();
        Assert.Null(await client.GetStatusAsync("missing"));                      // 404
        Assert.False(await client.RaiseEventAsync("missing", "message", "1"));     // 404
        Assert.False(await client.PurgeAsync("missing"));                          // 404

        Assert.Equal("i1", await client.StartNewAsync("Conversation", "i1", "{\"a\":1}"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.StartNewAsync("Conversation", "i1", null)); // 409
        _api.Instances["i1"].CustomStatus = JsonNode.Parse("{\"stage\":\"dates\",\"handoff\":false}");

        var running = await client.GetStatusAsync("i1");                             // 202
        Assert.NotNull(running);
        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal("{\"a\":1}", running.Input);
        Assert.Equal("{\"stage\":\"dates\",\"handoff\":false}", running.CustomStatus);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), running.CreatedTime);
        Assert.False(await client.PurgeAsync("i1"));                                // 412 while running

        Assert.True(await client.TerminateAsync("i1", "guest asked"));              // 202
        Assert.False(await client.TerminateAsync("i1", "again"));                   // 410
        Assert.False(await client.RaiseEventAsync("i1", "message", "1"));           // 410
        var done = await client.GetStatusAsync("i1");                               // 200
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done!.RuntimeStatus);
        Assert.Equal("\"guest asked\"", done.Output);
        Assert.False(done.IsActive);

        // A finished conversation is restarted by start-or-raise.
        Assert.Equal(StartOrRaiseOutcome.Started, await client.StartOrRaiseAsync("Conversation", "i1", "message", "\"hola\"", null));
        await client.TerminateAsync("i1", null);
        Assert.True(await client.PurgeAsync("i1"));                                 // 200 {instancesDeleted: 1}
        Assert.Null(await client.GetStatusAsync("i1"));
    }

    [Fact]
    public async Task List_follows_continuation_tokens_and_filters()
    {
        var client = Client();
        for (var i = 0; i < 5; i++)
        {
            await client.StartNewAsync("Conversation", $"wa:{i}", null);
        }

        await client.StartNewAsync("Other", "em:1", null);
        await client.TerminateAsync("wa:4", null);

        var all = await client.ListAsync(new OrchestrationQuery { InstanceIdPrefix = "wa:" });
        Assert.Equal(["wa:0", "wa:1", "wa:2", "wa:3", "wa:4"], all.Select(s => s.InstanceId));
        var running = await client.ListAsync(new OrchestrationQuery { RuntimeStatus = [OrchestrationRuntimeStatus.Running], InstanceIdPrefix = "wa:" });
        Assert.Equal(4, running.Count);
        Assert.Equal(3, (await client.ListAsync(new OrchestrationQuery { Top = 3 })).Count);
        Assert.Contains(_api.RequestLog, r => r.Contains("runtimeStatus=Running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_code_is_rejected_by_the_api_and_surfaces_as_an_error()
    {
        var binding = DurableClientBinding.Parse(BindingJson()) with { RequiredQueryStringParameters = null };
        var client = new DurableHttpManagementClient(_http, binding);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.StartNewAsync("Conversation", "x", null));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
    }
}
