using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Reflection;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Functions.WhatsApp;
using HotelAgent.Functions.Security;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Orchestration;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Functions.Security;

/// <summary>Answers without internals, redacted request logs and security headers, through the real standalone host (Development).</summary>
public sealed partial class HttpSecurityTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(
        new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
        configureServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.AddSingleton(BuggyPms.Create());
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_failing_function_answers_500_problem_details_without_stack_trace_or_headers_in_development()
    {
        using var http = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/staff/availability?from=2027-01-10&to=2027-01-12");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        request.Headers.Add("X-Probe-Header", "probe-value-123");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ProblemResponses.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("traceId", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(BuggyPms), body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("probe-value-123", body, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(SafeErrorsMiddleware), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Oversized_webhook_and_staff_bodies_get_413_problem_details_without_internals()
    {
        using var http = _host.CreateClient();
        using var webhook = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        webhook.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var staff = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        using var staffRequest = new HttpRequestMessage(HttpMethod.Post, "/api/staff/conversations/conv-x/reply") { Content = staff };
        staffRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);

        foreach (var response in new[] { await http.PostAsync("/api/webhooks/whatsapp", webhook), await http.SendAsync(staffRequest) })
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Equal(ProblemResponses.ContentType, response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Under_the_functions_host_the_webhook_function_itself_caps_the_body_while_reading_it()
    {
        // Called directly, as the host calls it (no Kestrel or middleware of ours in front): a signed body one byte over the
        // cap, sent without Content-Length (chunked), is refused with 413 and read no further than the cap.
        var body = new byte[InputLimits.MaxWebhookBodyBytes + 1];
        var stream = new CountingStream(body);
        var request = WebhookRequest(stream, WhatsAppSignature.Compute(body, StandaloneHost.AppSecret));

        var result = await Webhook().Run(request, new RecordingDurableClient());

        Assert.Equal(413, Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(result.Result).StatusCode);
        Assert.InRange(stream.BytesRead, InputLimits.MaxWebhookBodyBytes, InputLimits.MaxWebhookBodyBytes + 1);
        Assert.Null(result.TranscriptionJobs);
    }

    [Fact]
    public async Task Under_the_functions_host_an_unsigned_webhook_is_401_before_any_body_byte_is_read()
    {
        var stream = new CountingStream(new byte[4096]);
        var request = WebhookRequest(stream, signature: null);

        var result = await Webhook().Run(request, new RecordingDurableClient());

        Assert.Equal(401, Assert.IsType<Microsoft.AspNetCore.Mvc.ContentResult>(result.Result).StatusCode);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task A_staff_reply_with_invalid_utf8_is_400()
    {
        using var http = _host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        using var content = new ByteArrayContent([.. "{\"text\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync("/api/staff/conversations/conv-whatsapp-0123456789abcdef0123/reply", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Request_logs_redact_the_verify_token_and_web_chat_session_ids()
    {
        using var http = _host.CreateClient();
        using var verify = await http.GetAsync($"/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={StandaloneHost.VerifyToken}&hub.challenge=12345");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        using var post = await http.PostAsync("/api/webchat/secret-session-4242/messages", new StringContent("{\"text\":\"hola\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        using var read = await http.GetAsync("/api/webchat/secret-session-4242/messages?after=0&waitSeconds=0");

        // Positive signal: the three requests were logged (redacted) before looking for what must not be there.
        await Eventually.AssertAsync(
            () => _logs.Entries.Count(e => e.Category.EndsWith(nameof(RedactedRequestLoggingMiddleware), StringComparison.Ordinal)) >= 3,
            () => "the three requests were not logged");

        var requestLines = _logs.Entries.Where(e => e.Category.EndsWith(nameof(RedactedRequestLoggingMiddleware), StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Contains(requestLines, l => l.Contains("hub.verify_token=***", StringComparison.Ordinal));
        Assert.Contains(requestLines, l => l.Contains("/api/webchat/***/messages", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(StandaloneHost.VerifyToken, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("secret-session-4242", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_web_chat_page_allows_only_its_own_inline_code_and_cannot_be_framed()
    {
        using var http = _host.CreateClient();
        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'", csp, StringComparison.Ordinal);
        Assert.Contains($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        using var api = await http.GetAsync("/api/health/live");
        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("/api/webchat/abc12345/messages", "/api/webchat/***/messages")]
    [InlineData("/api/webhooks/whatsapp", "/api/webhooks/whatsapp")]
    [InlineData("/", "/")]
    public void Paths_lose_their_secret_segments(string path, string expected) =>
        Assert.Equal(expected, RequestLogRedaction.Path(new PathString(path)));

    private WhatsAppWebhookFunction Webhook() => ActivatorUtilities.CreateInstance<WhatsAppWebhookFunction>(_host.Services);

    private static HttpRequest WebhookRequest(Stream body, string? signature)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = body;
        if (signature is not null)
        {
            context.Request.Headers[WhatsAppSignature.HeaderName] = signature;
        }

        return context.Request;
    }

    /// <summary>A read-only request body that counts what the function read of it.</summary>
    private sealed class CountingStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Count(_inner.Read(buffer.Span)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }

    /// <summary>A PMS whose every call fails with an unexpected bug (not an outage): the staff API has no answer for it.</summary>
    public class BuggyPms : DispatchProxy
    {
        public static IPmsClient Create() => Create<IPmsClient, BuggyPms>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException("secret detail of a bug");
    }
}
