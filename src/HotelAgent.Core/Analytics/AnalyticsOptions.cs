using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Analytics;

/// <summary>Interaction log settings (section <c>Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>File name of the SQLite database under <c>HotelAgent__DataDirectory</c>.</summary>
    [Required]
    public string DatabaseFileName { get; set; } = "analytics.db";

    /// <summary>IANA or Windows time zone id used to cut days (the hotel's local time).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Madrid";

    /// <summary>Records older than this many days are purged on start-up (0 keeps everything).</summary>
    [Range(0, 36500)]
    public int RetentionDays { get; set; } = 730;

    /// <summary>Longest range <see cref="IInteractionLog.GetStatsAsync"/> accepts, in days.</summary>
    [Range(1, 3660)]
    public int MaxRangeDays { get; set; } = 366;
}
