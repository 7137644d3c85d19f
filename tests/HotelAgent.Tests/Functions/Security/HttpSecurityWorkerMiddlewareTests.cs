using HotelAgent.Functions.Security;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Functions.Security;

/// <summary>
/// The worker middleware that stands in for standalone's security middleware under the Functions host, run the way the
/// SDK runs it: inside its HTTP proxying middleware, which has put the request's HttpContext in the invocation's items.
/// </summary>
public sealed class HttpSecurityWorkerMiddlewareTests
{
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task A_failing_http_function_is_answered_500_problem_details_without_internals_and_with_the_security_headers()
    {
        var (context, http) = Invocation();
        http.Request.Headers["X-Probe-Header"] = "probe-value-123";

        await Middleware().Invoke(context, _ => throw new InvalidOperationException("secret detail of a bug"));

        var body = ReadBody(http);
        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal(ProblemResponses.ContentType, http.Response.ContentType);
        Assert.Contains("traceId", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-value-123", body, StringComparison.Ordinal);
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", http.Response.Headers.XFrameOptions.ToString());
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(SafeErrorsMiddleware), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_successful_http_function_gets_the_security_headers_and_keeps_its_answer()
    {
        var (context, http) = Invocation();
        var ran = false;

        await Middleware().Invoke(context, _ =>
        {
            ran = true;
            http.Response.StatusCode = 202;
            return Task.CompletedTask;
        });

        Assert.True(ran);
        Assert.Equal(202, http.Response.StatusCode);
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", http.Response.Headers["Referrer-Policy"].ToString());
    }

    [Fact]
    public async Task Other_triggers_pass_through_and_their_failures_still_fail_the_invocation()
    {
        var context = new FakeFunctionContext();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Middleware().Invoke(context, _ => throw new InvalidOperationException("activity failed")));

        Assert.Equal("activity failed", error.Message);
    }

    private HttpSecurityWorkerMiddleware Middleware() =>
        new(LoggerFactory.Create(b => b.AddProvider(_logs)).CreateLogger<SafeErrorsMiddleware>());

    private static (FunctionContext Context, HttpContext Http) Invocation()
    {
        var http = new DefaultHttpContext { TraceIdentifier = "trace-42" };
        http.Request.Method = "POST";
        http.Request.Path = "/api/staff/stats";
        http.Response.Body = new MemoryStream();
        var context = new FakeFunctionContext();
        // Where the SDK's FunctionsHttpProxyingMiddleware puts the request (read back by GetHttpContext()).
        context.Items["HttpRequestContext"] = http;
        Assert.Same(http, context.GetHttpContext());
        return (context, http);
    }

    private static string ReadBody(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return new StreamReader(http.Response.Body).ReadToEnd();
    }

    private sealed class FakeFunctionContext : FunctionContext
    {
        public override string InvocationId => "inv-1";

        public override string FunctionId => "fn-1";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override Microsoft.Azure.Functions.Worker.IInvocationFeatures Features => throw new NotSupportedException();
    }
}
