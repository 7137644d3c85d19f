using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>The webservice transport and how QloApps' errors are read.</summary>
public sealed partial class QloAppsPmsClient
{
    /// <summary>
    /// Sends one webservice call and returns its JSON document (an object; a bare <c>[]</c>, which is how QloApps writes an
    /// empty list, comes back as an empty object). Failures, read through ALL the errors QloApps lists (PHP warnings first
    /// and the real reason after them):
    /// <list type="bullet">
    /// <item>401 → <see cref="PmsRequestRejectedException"/> (bad key, or a resource the key may not use);</item>
    /// <item>404 with an empty body on a booking → <see cref="ReservationNotFoundException"/>;</item>
    /// <item>4xx → by the real reason: no availability, booking not found, phone required, or <see cref="PmsRequestRejectedException"/>;</item>
    /// <item>5xx or an unreadable answer → <see cref="QloAppsServerException"/> (PHP warnings only, empty body = PHP fatal, other),
    /// which each operation resolves: a write may have happened, a read has a fallback.</item>
    /// </list>
    /// </summary>
    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, string? body, CancellationToken ct, QloCallContext? context = null)
    {
        var uri = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "output_format=JSON";
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, uri));
        request.Headers.Authorization = _auth;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            // hotel_ari reads XML whatever the output format; bookings read JSON.
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "application/xml" : "application/json");
        }

        using var response = await _http().SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var resource = path.Split('?', '/')[1];
        var status = (int)response.StatusCode;
        var errors = QloAppsErrors.Parse(text);
        if (errors.PhpWarnings.Count > 0)
        {
            _health?.RecordPhpWarnings(true);
        }
        else if (resource == "bookings" && errors.Json && (method != HttpMethod.Get || path.StartsWith("api/bookings/", StringComparison.Ordinal)))
        {
            // A clean answer about one booking (what PHP 8 with warnings reported turns into a 500): the setting is fixed.
            _health?.RecordPhpWarnings(false);
        }

        if (errors.PhpWarnings.Count > 0)
        {
            Log.QloPhpWarnings(_logger, status, resource, errors.PhpWarnings.Count);
        }

        if (status >= 500)
        {
            Log.QloHttpError(_logger, status, resource);
            var kind = text.Trim().Length == 0 ? QloFailure.Fatal
                : errors.PhpWarnings.Count > 0 && errors.Reasons.Count == 0 ? QloFailure.PhpWarnings
                : QloFailure.ServerError;
            throw new QloAppsServerException(kind, $"QloApps answered {status} for {resource}" + (kind switch
            {
                QloFailure.Fatal => " with an empty body (a PHP fatal error).",
                QloFailure.PhpWarnings => " with PHP warnings only (set error_reporting without E_WARNING for its webservice).",
                _ => errors.Reasons.Count > 0 ? ": " + SecurityElement.Escape(errors.Reasons[0]) : ".",
            }));
        }

        if (status is < 200 or >= 300)
        {
            Log.QloHttpError(_logger, status, resource);
            throw Classify(status, resource, errors, context);
        }

        try
        {
            var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() == 0)
            {
                doc.Dispose();
                return JsonDocument.Parse("{}");
            }

            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new QloAppsServerException(QloFailure.ServerError, $"QloApps sent an unexpected answer for {resource}.");
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw new QloAppsServerException(QloFailure.ServerError, $"QloApps sent an unreadable answer for {resource}.", e);
        }
    }

    private PmsException Classify(int status, string resource, QloAppsErrors errors, QloCallContext? context)
    {
        var reason = errors.Reasons.FirstOrDefault() ?? string.Empty;
        if (status == 404 && context?.NotFoundReference is { } missing && reason.Length == 0)
        {
            return new ReservationNotFoundException(missing);
        }

        if (reason.Contains("not available", StringComparison.OrdinalIgnoreCase) && context?.RoomType is { } type)
        {
            return new NoAvailabilityException(type, context.CheckIn, context.CheckOut);
        }

        if (reason.Contains("Booking not found", StringComparison.OrdinalIgnoreCase) && context?.NotFoundReference is { } reference)
        {
            return new ReservationNotFoundException(reference);
        }

        if (reason.Contains("phone", StringComparison.OrdinalIgnoreCase))
        {
            _phoneRequired = true;
            return new GuestPhoneRequiredException("QloApps requires a phone number for the guest (its \"at least one phone number\" setting).");
        }

        if (status == 401)
        {
            return new PmsRequestRejectedException(401, errors.Codes.Contains(26)
                ? $"QloApps does not allow this webservice key to use {resource} (give it the permissions listed in docs/pms.md)."
                : "QloApps refused the webservice key (Pms__QloApps__ApiKey): not active or without permissions.");
        }

        return new PmsRequestRejectedException(status, $"QloApps rejected {resource} ({status}): {SecurityElement.Escape(reason.Length > 0 ? reason : "no reason given")}");
    }

    /// <summary>What a failing call was about, to turn QloApps' messages into the port's errors.</summary>
    private sealed record QloCallContext(string? RoomType = null, DateOnly CheckIn = default, DateOnly CheckOut = default, string? NotFoundReference = null);
}

/// <summary>How a QloApps 5xx (or unreadable answer) failed.</summary>
internal enum QloFailure
{
    /// <summary>HTTP 500 whose errors are only PHP warnings: the operation itself usually DID run (an order may exist).</summary>
    PhpWarnings,

    /// <summary>HTTP 500 with an empty body: a PHP fatal error (e.g. a customer name QloApps refuses, before anything was written).</summary>
    Fatal,

    /// <summary>Any other 5xx, or an answer that is not the expected JSON.</summary>
    ServerError,
}

/// <summary>A QloApps server-side failure, resolved by each operation (reconcile, verify, fall back) and never leaked past the client.</summary>
internal sealed class QloAppsServerException(QloFailure kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public QloFailure Kind { get; } = kind;
}

/// <summary>The <c>{"errors":[{"code","message"}]}</c> list of a QloApps answer, PHP warnings (code 3, "[PHP …]") apart from real reasons.</summary>
internal sealed record QloAppsErrors(bool Json, IReadOnlyList<string> PhpWarnings, IReadOnlyList<string> Reasons, IReadOnlyList<int> Codes)
{
    public static QloAppsErrors Parse(string text)
    {
        var warnings = new List<string>();
        var reasons = new List<string>();
        var codes = new List<int>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new QloAppsErrors(true, [], [], []);
            }

            foreach (var error in doc.RootElement.Prop("errors").Items())
            {
                var message = error.Str("message") ?? string.Empty;
                var code = error.Int("code");
                codes.Add(code);
                if (code == 3 && message.StartsWith("[PHP ", StringComparison.Ordinal))
                {
                    warnings.Add(message);
                }
                else
                {
                    reasons.Add(message);
                }
            }

            return new QloAppsErrors(true, warnings, reasons, codes);
        }
        catch (JsonException)
        {
            var trimmed = text.Trim();
            return new QloAppsErrors(false, [], trimmed.Length == 0 ? [] : [trimmed.Length > 200 ? trimmed[..200] : trimmed], []);
        }
    }
}
