using System.Text;
using System.Text.Json;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Hosting.CustomHandler;
using HotelAgent.Tests.Fakes.Functions;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>Contract tests: the exact payload shapes the Functions host sends to a custom handler.</summary>
public class CustomHandlerDispatcherTests
{
    private readonly EchoHttpFunction _echo = new();
    private readonly RecordingQueueFunction _queue = new();
    private readonly CustomHandlerDispatcher _dispatcher;

    public CustomHandlerDispatcherTests()
    {
        _dispatcher = new CustomHandlerDispatcher(new FunctionCatalog([_echo, _queue, new WrapActivityFunction()]), NullLogger<CustomHandlerDispatcher>.Instance);
    }

    private Task<CustomHandlerDispatcher.Result> Invoke(string function, string json) =>
        _dispatcher.DispatchAsync(function, Encoding.UTF8.GetBytes(json), "inv-1", CancellationToken.None);

    [Fact]
    public async Task Http_request_with_header_arrays_query_and_string_body_round_trips()
    {
        var body = """{"object":"whatsapp_business_account","text":"¿Tenés lugar?"}""";
        var invocation = JsonSerializer.Serialize(new
        {
            Data = new
            {
                req = new
                {
                    Url = "http://localhost:7071/api/echo?hub.mode=subscribe",
                    Method = "POST",
                    Query = new Dictionary<string, string> { ["hub.mode"] = "subscribe" },
                    Headers = new Dictionary<string, string[]> { ["Content-Type"] = ["application/json"], ["X-Hub-Signature-256"] = ["sha256=abc"] },
                    Params = new { },
                    Body = body,
                },
            },
            Metadata = new { sys = new { MethodName = "Echo", UtcNow = "2026-11-21T10:00:00Z", RandGuid = Guid.NewGuid() } },
        });

        var result = await Invoke("Echo", invocation);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("sha256=abc", _echo.LastRequest!.Header("x-hub-signature-256"));
        Assert.Equal("subscribe", _echo.LastRequest.QueryValue("hub.mode"));
        Assert.Equal(Encoding.UTF8.GetBytes(body), _echo.LastRequest.Body.ToArray());
        using var response = JsonDocument.Parse(result.Json);
        var res = response.RootElement.GetProperty("Outputs").GetProperty("res");
        Assert.Equal(201, res.GetProperty("statusCode").GetInt32());
        Assert.Equal(body, res.GetProperty("body").GetString());
        Assert.True(response.RootElement.TryGetProperty("Logs", out _));
        Assert.Equal(JsonValueKind.Null, response.RootElement.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Queue_outputs_are_objects_so_the_host_never_base64_decodes_them()
    {
        var result = await Invoke("Echo", """{"Data":{"req":{"Url":"http://x/api/echo","Method":"GET","Query":"{}","Headers":{}}},"Metadata":{}}""");

        using var response = JsonDocument.Parse(result.Json);
        var jobs = response.RootElement.GetProperty("Outputs").GetProperty("jobs");
        Assert.Equal(JsonValueKind.Array, jobs.ValueKind);
        Assert.Equal(JsonValueKind.Object, jobs[0].ValueKind);
        Assert.Equal("abcd1234", jobs[0].GetProperty("echo").GetString());
    }

    [Fact]
    public async Task Absent_body_and_query_given_as_string_are_accepted()
    {
        var result = await Invoke("Echo", """{"Data":{"req":"{\"Url\":\"http://x/api/echo\",\"Method\":\"GET\",\"Query\":\"{}\",\"Headers\":{\"Accept\":\"*/*\"}}"},"Metadata":{}}""");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(0, _echo.LastRequest!.Body.Length);
        Assert.Empty(_echo.LastRequest.Query);
        Assert.Equal("*/*", _echo.LastRequest.Header("Accept"));
    }

    [Fact]
    public async Task Queue_message_is_decoded_from_its_double_json_encoding()
    {
        var message = """{"mediaId":"123"}""";
        var onceEncoded = JsonSerializer.Serialize(message);
        var invocation = JsonSerializer.Serialize(new { Data = new { message = onceEncoded }, Metadata = new { DequeueCount = "2", Id = "\"abc\"" } });

        var result = await Invoke("RecordQueue", invocation);

        Assert.Equal(200, result.StatusCode);
        var received = Assert.Single(_queue.Received);
        Assert.Equal(message, received.Text);
        Assert.Equal(2, received.DequeueCount);
        Assert.Equal("abc", received.Id);
    }

    [Fact]
    public async Task A_failing_function_answers_non_2xx_so_the_host_retries()
    {
        _queue.Fail = true;

        var result = await Invoke("RecordQueue", """{"Data":{"message":"\"\\\"hi\\\"\""},"Metadata":{}}""");

        Assert.Equal(500, result.StatusCode);
    }

    [Fact]
    public async Task Activity_input_is_double_encoded_and_the_result_is_a_plain_json_value()
    {
        var invocation = JsonSerializer.Serialize(new { Data = new { input = JsonSerializer.Serialize("{\"n\":1}") }, Metadata = new { instanceId = "\"conv-1\"" } });

        var result = await Invoke("Wrap", invocation);

        using var response = JsonDocument.Parse(result.Json);
        Assert.Equal(1, response.RootElement.GetProperty("ReturnValue").GetProperty("wrapped").GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public async Task Malformed_invocations_are_400(string body)
    {
        var result = await Invoke("Echo", body);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public async Task Unknown_function_is_404()
    {
        var result = await Invoke("Nope", "{}");
        Assert.Equal(404, result.StatusCode);
    }
}
