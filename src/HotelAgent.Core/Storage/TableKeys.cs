using System.Globalization;
using System.Text;
using Azure;

namespace HotelAgent.Core.Storage;

/// <summary>Helpers every Azure Tables store uses: safe keys, conflict answers, dates.</summary>
public static class TableKeys
{
    /// <summary>
    /// A partition or row key for any text: '/', '\', '#', '?', '%' and control characters (which Tables refuses or treats
    /// specially) are percent-encoded, so distinct inputs stay distinct keys.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>An OData string literal for a filter (single quotes doubled).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Rows whose key starts with <paramref name="prefix"/>: <c>RowKey ge 'p' and RowKey lt 'p~'</c> style filter bounds.</summary>
    public static string RowKeyPrefixFilter(string partitionKey, string prefix) =>
        $"PartitionKey eq {Quote(partitionKey)} and RowKey ge {Quote(prefix)} and RowKey lt {Quote(prefix + '\uffff')}";

    /// <summary>412: the entity changed since it was read (ETag), or 409: it was inserted by someone else first.</summary>
    public static bool IsConflict(RequestFailedException exception) => exception?.Status is 409 or 412;

    public static bool IsNotFound(RequestFailedException exception) => exception?.Status == 404;

    /// <summary>How many optimistic retries a read-decide-write loop makes before giving up (contention of one key is rare).</summary>
    public const int MaxOptimisticAttempts = 64;

    /// <summary>Thrown when a read-decide-write loop kept losing its race (the caller's retry policy takes over).</summary>
    public static InvalidOperationException TooMuchContention(string what) =>
        new($"Azure Tables: {what} kept changing under concurrent writers; try again.");
}
