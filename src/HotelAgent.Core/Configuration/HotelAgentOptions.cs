using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Configuration;

/// <summary>Where HotelAgent keeps state that every instance must see (<c>HotelAgent__Storage</c>).</summary>
public enum StorageProvider
{
    /// <summary>SQLite files under the data directory (standalone default).</summary>
    Sqlite,

    /// <summary>Azure Tables (and Azure Queues) of the <c>AzureWebJobsStorage</c> account.</summary>
    AzureStorage,
}

/// <summary>App-wide settings (section <c>HotelAgent</c>).</summary>
public sealed class HotelAgentOptions
{
    public const string SectionName = "HotelAgent";

    /// <summary>Folder for SQLite files and the standalone queues. Relative paths are under the current directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Path of the hotel profile JSON; empty uses the embedded sample hotel.</summary>
    public string? HotelProfilePath { get; set; }

    /// <summary>
    /// Where shared state lives (setting <c>HotelAgent__Storage</c>): SQLite files under <see cref="DataDirectory"/> (the
    /// standalone default, one process per folder) or Azure Tables of the <c>AzureWebJobsStorage</c> account (every instance
    /// of a scaled-out app sees the same state). docs/storage.md lists both layouts.
    /// </summary>
    public StorageProvider Storage { get; set; } = StorageProvider.Sqlite;

    /// <summary>Prefix of every Azure Table name (letters and digits; one prefix per app sharing a storage account).</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    public string TablePrefix { get; set; } = "HotelAgent";

    public string ResolveDataDirectory()
    {
        var full = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(full);
        return full;
    }
}
