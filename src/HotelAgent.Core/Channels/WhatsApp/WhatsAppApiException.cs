using System.Net;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// A Graph API call failed. Carries Meta's error object
/// (<c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>) when the response had one.
/// </summary>
public class WhatsAppApiException : Exception
{
    /// <summary>Rate limit hit (too many messages from the business number).</summary>
    public const int RateLimitCode = 130429;

    /// <summary>Too many messages to the same guest in a short time.</summary>
    public const int PairRateLimitCode = 131056;

    /// <summary>More than 24 hours since the guest last wrote: only templates are allowed.</summary>
    public const int ReengagementCode = 131047;

    /// <summary>Access token expired or invalid.</summary>
    public const int InvalidTokenCode = 190;

    private static readonly HashSet<int> TransientCodes =
    [
        1, // API Unknown (temporary)
        2, // API Service (temporary)
        4, // API Too Many Calls (app-level)
        80007, // WABA rate limit
        RateLimitCode,
        131000, // Something went wrong
        131016, // Service unavailable
        PairRateLimitCode,
        133004, // Server temporarily unavailable
    ];

    public WhatsAppApiException()
    {
    }

    public WhatsAppApiException(string message)
        : base(message)
    {
    }

    public WhatsAppApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WhatsAppApiException(HttpStatusCode statusCode, int? code, int? subcode, string? type, string? graphMessage, string? fbTraceId)
        : base($"Graph API error: HTTP {(int)statusCode}, code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}: {graphMessage ?? "(no message)"}")
    {
        StatusCode = statusCode;
        Code = code;
        Subcode = subcode;
        ErrorType = type;
        GraphMessage = graphMessage;
        FbTraceId = fbTraceId;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Graph error code (e.g. 130429, 131047, 190), when given.</summary>
    public int? Code { get; }

    public int? Subcode { get; }

    public string? ErrorType { get; }

    public string? GraphMessage { get; }

    public string? FbTraceId { get; }

    /// <summary>True when retrying later may succeed: rate limits, Meta-side failures, HTTP 5xx / 429.</summary>
    public bool IsTransient =>
        (Code is { } code && TransientCodes.Contains(code))
        || (int)StatusCode >= 500
        || StatusCode == HttpStatusCode.TooManyRequests;
}

/// <summary>The access token was rejected (Graph error 190 or HTTP 401): an operator must update <c>WhatsApp__AccessToken</c>.</summary>
public sealed class WhatsAppAuthException : WhatsAppApiException
{
    public WhatsAppAuthException()
    {
    }

    public WhatsAppAuthException(string message)
        : base(message)
    {
    }

    public WhatsAppAuthException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WhatsAppAuthException(HttpStatusCode statusCode, int? code, int? subcode, string? type, string? graphMessage, string? fbTraceId)
        : base(statusCode, code, subcode, type, graphMessage, fbTraceId)
    {
    }
}
