using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Configuration;

/// <summary>App-wide settings (section <c>HotelAgent</c>).</summary>
public sealed class HotelAgentOptions
{
    public const string SectionName = "HotelAgent";

    /// <summary>Folder for SQLite files and the standalone queues. Relative paths are under the current directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Path of the hotel profile JSON; empty uses the embedded sample hotel.</summary>
    public string? HotelProfilePath { get; set; }

    public string ResolveDataDirectory()
    {
        var full = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(full);
        return full;
    }
}
