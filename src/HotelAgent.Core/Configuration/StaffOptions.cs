namespace HotelAgent.Core.Configuration;

/// <summary>Staff API settings (section <c>Staff</c>).</summary>
public sealed class StaffOptions
{
    public const string SectionName = "Staff";

    /// <summary>Bearer token for the staff API in standalone mode (under the host, function keys apply).</summary>
    public string ApiKey { get; set; } = string.Empty;
}
