using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// The <c>durableClient</c> input binding payload of the out-of-process protocol (V2). The host sends it as a JSON
/// string that may be JSON-encoded twice; <see cref="Parse"/> accepts both forms.
/// </summary>
public sealed record DurableClientBinding
{
    public string? TaskHubName { get; init; }
    public string? ConnectionName { get; init; }
    public string? HttpBaseUrl { get; init; }
    public string? RpcBaseUrl { get; init; }
    public string? RequiredQueryStringParameters { get; init; }

    /// <summary>Parses the binding JSON (object text, or a JSON string containing it).</summary>
    public static DurableClientBinding Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind == JsonValueKind.String)
        {
            return Parse(doc.RootElement.GetString()!);
        }

        return doc.RootElement.Deserialize<DurableClientBinding>(OrchestrationJson.Options)
            ?? throw new FormatException("Empty durableClient binding.");
    }

    /// <summary>Base URL of the management API: <c>httpBaseUrl</c>, else <c>http://{WEBSITE_HOSTNAME}/runtime/webhooks/durabletask</c>.</summary>
    public Uri ResolveBaseUri(string? websiteHostname)
    {
        var baseUrl = !string.IsNullOrWhiteSpace(HttpBaseUrl)
            ? HttpBaseUrl
            : !string.IsNullOrWhiteSpace(websiteHostname)
                ? $"http://{websiteHostname}/runtime/webhooks/durabletask"
                : throw new InvalidOperationException("The durableClient binding has no httpBaseUrl and WEBSITE_HOSTNAME is not set.");
        return new Uri(baseUrl.TrimEnd('/') + "/", UriKind.Absolute);
    }
}

/// <summary>
/// <see cref="IDurableClient"/> over the Durable Functions HTTP management API
/// (<c>/runtime/webhooks/durabletask</c>), for the Functions-host mode.
/// </summary>
public sealed class DurableHttpManagementClient : IDurableClient
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client.</summary>
    public const string HttpClientName = "HotelAgent.DurableManagement";

    private readonly HttpClient _http;
    private readonly Uri _baseUri;
    private readonly string _commonQuery;
    private readonly ILogger _logger;

    public DurableHttpManagementClient(HttpClient http, DurableClientBinding binding, string? websiteHostname = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        _http = http;
        _baseUri = binding.ResolveBaseUri(websiteHostname);
        _logger = logger ?? NullLogger.Instance;
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(binding.RequiredQueryStringParameters))
        {
            parts.Add(binding.RequiredQueryStringParameters.TrimStart('?'));
        }

        if (!string.IsNullOrWhiteSpace(binding.TaskHubName))
        {
            parts.Add("taskHub=" + Uri.EscapeDataString(binding.TaskHubName));
        }

        if (!string.IsNullOrWhiteSpace(binding.ConnectionName))
        {
            parts.Add("connection=" + Uri.EscapeDataString(binding.ConnectionName));
        }

        _commonQuery = string.Join('&', parts);
    }

    /// <summary>Creates a client from the binding JSON with an HttpClient from the factory.</summary>
    public static DurableHttpManagementClient FromBinding(IHttpClientFactory factory, string bindingJson, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new DurableHttpManagementClient(factory.CreateClient(HttpClientName), DurableClientBinding.Parse(bindingJson),
            Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME"), logger);
    }

    public async Task<string> StartNewAsync(string orchestratorName, string instanceId, string? inputJson, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent(inputJson);
        using var response = await _http.PostAsync(Url($"orchestrators/{Esc(orchestratorName)}/{Esc(instanceId)}"), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Orchestration instance '{instanceId}' already exists and is not in a terminal state.");
        }

        await EnsureSuccess(response, "start", instanceId, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadJson(response, cancellationToken).ConfigureAwait(false);
        return doc?.RootElement.TryGetProperty("id", out var id) == true ? id.GetString() ?? instanceId : instanceId;
    }

    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, string? payloadJson, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent(payloadJson ?? "null");
        using var response = await _http.PostAsync(Url($"instances/{Esc(instanceId)}/raiseEvent/{Esc(eventName)}"), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return false;
        }

        await EnsureSuccess(response, "raiseEvent", instanceId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<OrchestrationStatusInfo?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken cancellationToken = default)
    {
        var query = "showInput=true" + (showHistory ? "&showHistory=true&showHistoryOutput=true" : "");
        using var response = await _http.GetAsync(Url($"instances/{Esc(instanceId)}", query), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.InternalServerError)
        {
            await EnsureSuccess(response, "status", instanceId, cancellationToken).ConfigureAwait(false);
        }

        using var doc = await ReadJson(response, cancellationToken).ConfigureAwait(false);
        return doc is null ? null : ParseStatus(doc.RootElement);
    }

    public async Task<IReadOnlyList<OrchestrationStatusInfo>> ListAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string> { "showInput=true", "top=" + query.Top.ToString(CultureInfo.InvariantCulture) };
        if (query.RuntimeStatus is { Count: > 0 } statuses)
        {
            parts.Add("runtimeStatus=" + string.Join(',', statuses));
        }

        if (query.CreatedTimeFrom is { } from)
        {
            parts.Add("createdTimeFrom=" + Uri.EscapeDataString(from.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)));
        }

        if (query.CreatedTimeTo is { } to)
        {
            parts.Add("createdTimeTo=" + Uri.EscapeDataString(to.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            parts.Add("instanceIdPrefix=" + Uri.EscapeDataString(query.InstanceIdPrefix));
        }

        var results = new List<OrchestrationStatusInfo>();
        string? continuation = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url("instances", string.Join('&', parts)));
            if (continuation is not null)
            {
                request.Headers.TryAddWithoutValidation("x-ms-continuation-token", continuation);
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await EnsureSuccess(response, "list", "*", cancellationToken).ConfigureAwait(false);
            using (var doc = await ReadJson(response, cancellationToken).ConfigureAwait(false))
            {
                if (doc?.RootElement.ValueKind == JsonValueKind.Array)
                {
                    results.AddRange(doc.RootElement.EnumerateArray().Select(ParseStatus));
                }
            }

            continuation = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.FirstOrDefault() : null;
            if (string.IsNullOrEmpty(continuation) || continuation == "null")
            {
                continuation = null;
            }
        }
        while (continuation is not null && results.Count < query.Top);

        return results.Count > query.Top ? results.GetRange(0, query.Top) : results;
    }

    public async Task<bool> TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken = default)
    {
        var query = reason is null ? null : "reason=" + Uri.EscapeDataString(reason);
        using var response = await _http.PostAsync(Url($"instances/{Esc(instanceId)}/terminate", query), null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return false;
        }

        await EnsureSuccess(response, "terminate", instanceId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync(Url($"instances/{Esc(instanceId)}"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }

        await EnsureSuccess(response, "purge", instanceId, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadJson(response, cancellationToken).ConfigureAwait(false);
        return doc is null || !doc.RootElement.TryGetProperty("instancesDeleted", out var deleted) || deleted.GetInt32() > 0;
    }

    internal static OrchestrationStatusInfo ParseStatus(JsonElement e) => new()
    {
        Name = Str(e, "name") ?? "",
        InstanceId = Str(e, "instanceId") ?? "",
        RuntimeStatus = Enum.TryParse<OrchestrationRuntimeStatus>(Str(e, "runtimeStatus"), true, out var s) ? s : OrchestrationRuntimeStatus.Pending,
        Input = Raw(e, "input"),
        CustomStatus = Raw(e, "customStatus"),
        Output = Raw(e, "output"),
        CreatedTime = Time(e, "createdTime"),
        LastUpdatedTime = Time(e, "lastUpdatedTime"),
        HistoryJson = Raw(e, "historyEvents"),
    };

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Raw(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v.GetRawText() : null;

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.TryParse(Str(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : default;

    private static string Esc(string segment) => Uri.EscapeDataString(segment);

    private Uri Url(string path, string? query = null)
    {
        var q = string.Join('&', new[] { _commonQuery, query }.Where(p => !string.IsNullOrEmpty(p)));
        return new Uri(_baseUri, q.Length == 0 ? path : path + "?" + q);
    }

    private static StringContent JsonContent(string? json)
    {
        var content = new StringContent(json ?? "", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<JsonDocument?> ReadJson(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
    }

    private async Task EnsureSuccess(HttpResponseMessage response, string operation, string instanceId, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        Log.HttpApiUnexpected(_logger, operation, instanceId, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        throw new HttpRequestException(
            $"Durable management API '{operation}' for '{instanceId}' failed with {(int)response.StatusCode}: {Truncate(body)}",
            null, response.StatusCode);
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] : s;
}
