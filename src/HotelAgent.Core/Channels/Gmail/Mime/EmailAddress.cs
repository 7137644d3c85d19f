namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>A mailbox: normalized (trimmed, lower-case) address plus optional display name.</summary>
public sealed record EmailAddress(string Address, string? DisplayName)
{
    /// <summary>
    /// Parses the first mailbox of an address header (already RFC 2047-decoded): <c>"Name" &lt;a@b&gt;</c>,
    /// <c>Name &lt;a@b&gt;</c>, <c>a@b (Name)</c> or a bare <c>a@b</c>. Returns null when no address is found.
    /// </summary>
    public static EmailAddress? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var value = header.Trim();
        var lt = IndexOutsideQuotes(value, '<');
        if (lt >= 0)
        {
            var gt = value.IndexOf('>', lt + 1);
            var address = (gt > lt ? value[(lt + 1)..gt] : value[(lt + 1)..]).Trim();
            var name = Unquote(value[..lt].Trim());
            return address.Contains('@', StringComparison.Ordinal)
                ? new EmailAddress(Normalize(address), string.IsNullOrWhiteSpace(name) ? null : name)
                : null;
        }

        string? comment = null;
        var paren = value.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            var close = value.IndexOf(')', paren + 1);
            comment = (close > paren ? value[(paren + 1)..close] : value[(paren + 1)..]).Trim();
            value = value[..paren].Trim();
        }

        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            value = value[..comma].Trim();
        }

        return value.Contains('@', StringComparison.Ordinal)
            ? new EmailAddress(Normalize(value), string.IsNullOrWhiteSpace(comment) ? null : comment)
            : null;
    }

    /// <summary>Trimmed, lower-case, without surrounding angle brackets or a <c>mailto:</c> prefix.</summary>
    public static string Normalize(string address)
    {
        var a = address.Trim().Trim('<', '>').Trim();
        if (a.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            a = a[7..];
        }

        return a.ToLowerInvariant();
    }

    private static int IndexOutsideQuotes(string s, char c)
    {
        var inQuotes = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && inQuotes)
            {
                i++;
            }
            else if (s[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (s[i] == c && !inQuotes)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unquote(string s)
    {
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            s = s[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return s.Trim();
    }
}
