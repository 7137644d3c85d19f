namespace HotelAgent.Core.Channels.Gmail;

/// <summary>Why a Gmail or OAuth call failed, as far as retrying is concerned.</summary>
public enum GmailErrorKind
{
    /// <summary>401, 403 without a quota reason, invalid_grant / unauthorized_client: fix the credentials.</summary>
    Auth,

    /// <summary>429, or 403 rateLimitExceeded / userRateLimitExceeded / quotaExceeded: back off until the next tick.</summary>
    Quota,

    /// <summary>Network failure, timeout or 5xx: retried on the next tick.</summary>
    Transient,

    /// <summary>404 (message deleted meanwhile).</summary>
    NotFound,

    /// <summary>Any other 4xx (a bug or an unsupported message).</summary>
    Other,
}

/// <summary>A failed Gmail API or token call. The message never contains tokens or message bodies.</summary>
public sealed class GmailApiException : Exception
{
    public GmailApiException(GmailErrorKind kind, int? statusCode, string reason, Exception? inner = null)
        : base($"Gmail {kind} error ({(statusCode is null ? "no response" : statusCode.ToString())}): {reason}", inner)
    {
        Kind = kind;
        StatusCode = statusCode;
        Reason = reason;
    }

    public GmailErrorKind Kind { get; }

    public int? StatusCode { get; }

    /// <summary>Google's reason code (e.g. <c>authError</c>, <c>rateLimitExceeded</c>, <c>invalid_grant</c>) or a short description.</summary>
    public string Reason { get; }
}
