using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Pms;

public enum PmsProvider
{
    /// <summary>The built-in SQLite PMS seeded from the hotel profile.</summary>
    Embedded,

    /// <summary>A QloApps installation through its webservice API.</summary>
    QloApps,
}

/// <summary>PMS settings (section <c>Pms</c>).</summary>
public sealed class PmsOptions
{
    public const string SectionName = "Pms";

    /// <summary>QloApps defaults (used when the setting is not given): a PHP PMS's first call after a restart exceeds 0.8 s.</summary>
    public const double QloAppsTimeoutSeconds = 4;

    /// <summary>QloApps default read budget: one slow attempt plus one retry.</summary>
    public const double QloAppsTotalTimeoutSeconds = 6;

    /// <summary>QloApps default write budget (writes are not retried blindly: one attempt gets all of it).</summary>
    public const double QloAppsWriteTimeoutSeconds = 20;

    /// <summary>QloApps default retries of a read on transient faults.</summary>
    public const int QloAppsRetryCount = 1;

    public PmsProvider Provider { get; set; } = PmsProvider.Embedded;

    /// <summary>
    /// Timeout of one attempt of a call to a remote PMS (QloApps default: <see cref="QloAppsTimeoutSeconds"/>). The timeouts
    /// and the circuit breaker guard network calls only: the embedded PMS runs in process and has none.
    /// </summary>
    [Range(0.01, 60)]
    public double TimeoutSeconds { get; set; } = 0.8;

    /// <summary>Budget of a remote read including retries (QloApps default: <see cref="QloAppsTotalTimeoutSeconds"/>).</summary>
    [Range(0.01, 120)]
    public double TotalTimeoutSeconds { get; set; } = 1.5;

    /// <summary>Budget of a remote write (create/modify/cancel) including retries (QloApps default: <see cref="QloAppsWriteTimeoutSeconds"/>).</summary>
    [Range(0.01, 300)]
    public double WriteTimeoutSeconds { get; set; } = 8;

    /// <summary>Retries on transient faults (reads; writes only when the provider is idempotent by key). QloApps default: <see cref="QloAppsRetryCount"/>.</summary>
    [Range(0, 10)]
    public int RetryCount { get; set; } = 2;

    /// <summary>First retry delay; doubles per retry, with jitter.</summary>
    [Range(0.0, 30)]
    public double RetryBaseDelaySeconds { get; set; } = 0.1;

    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 4;

    [Range(0.5, 3600)]
    public double CircuitSamplingDurationSeconds { get; set; } = 30;

    [Range(0.5, 3600)]
    public double CircuitBreakDurationSeconds { get; set; } = 15;

    /// <summary>How long availability, calendar and room types are cached; 0 disables the cache.</summary>
    [Range(0, 3600)]
    public double AvailabilityCacheSeconds { get; set; } = 30;

    /// <summary>Prefix of booking references; empty derives it from the hotel name initials ("Hotel Palermo Soho" → "HPS").</summary>
    [RegularExpression("^[A-Z0-9]{0,6}$")]
    public string? ReferencePrefix { get; set; }

    public QloAppsOptions QloApps { get; set; } = new();
}

/// <summary>QloApps webservice settings (section <c>Pms:QloApps</c>).</summary>
public sealed class QloAppsOptions
{
    /// <summary>Shop URL, e.g. https://hotel.example.com/ (the webservice lives under /api/).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Webservice key (sent as the HTTP Basic user name). Secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>QloApps hotel (id_hotel / id_property).</summary>
    [Range(1, int.MaxValue)]
    public int HotelId { get; set; } = 1;

    /// <summary>id_product → canonical room type code (Pms__QloApps__RoomTypeMap__12=doble). Unmapped types are matched by name.</summary>
    public Dictionary<string, string> RoomTypeMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// ISO 4217 code of the currency QloApps prices in. Empty (the default): the currency QloApps reports (hotel_ari's
    /// <c>currency</c>, the shop's default). When set and QloApps reports another one, quotes and bookings are refused with a
    /// clear error instead of mixing currencies.
    /// </summary>
    [RegularExpression("^[A-Za-z]{3}$")]
    public string? Currency { get; set; }

    /// <summary>QloApps requires an email per customer: guests without one get &lt;phone digits&gt;@this domain (or guest-&lt;hash&gt;@ for other contacts).</summary>
    public string PlaceholderEmailDomain { get; set; } = "guests.hotelagent.invalid";

    /// <summary>Prefix of references for QloApps bookings: reference = prefix-id_order.</summary>
    [RegularExpression("^[A-Z0-9]{1,6}$")]
    public string ReferencePrefix { get; set; } = "QLO";
}
